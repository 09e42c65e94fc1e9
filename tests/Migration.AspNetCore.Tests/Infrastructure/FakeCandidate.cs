using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Migration.AspNetCore.Tests.Infrastructure;

/// <summary>A tiny OpenAI-compatible fake candidate on real Kestrel; the test sets how it answers.</summary>
internal sealed class FakeCandidate : IAsyncDisposable
{
    private readonly SemaphoreSlim _received = new(0);
    private KestrelHost? _host;

    public ConcurrentQueue<(string Path, string? Authorization, string Body)> Requests { get; } = new();

    /// <summary>The answer; by default the same chat answer the test app gives.</summary>
    public Func<HttpContext, Task> Handler { get; set; } = ctx => TestApp.WriteChatAnswerAsync(ctx);

    public Uri BaseUrlV1 => new(_host!.Address, "/v1");

    public static async Task<FakeCandidate> StartAsync()
    {
        var candidate = new FakeCandidate();
        candidate._host = await KestrelHost.StartAsync(_ => { }, app => app.Run(candidate.HandleAsync));
        return candidate;
    }

    public async Task WaitForRequestsAsync(int count)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (Requests.Count < count)
        {
            await _received.WaitAsync(cts.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        Requests.Enqueue((context.Request.Path.Value!, context.Request.Headers.Authorization.ToString(), body));
        _received.Release();
        await Handler(context);
    }
}
