using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Migration.AspNetCore.Configuration;
using Migration.AspNetCore.Health;
using Migration.AspNetCore.Tests.Infrastructure;

namespace Migration.AspNetCore.Tests.Health;

/// <summary>Builds monitors on a given clock and fake providers (real Kestrel) whose <c>/v1/models</c> is scripted.</summary>
internal static class HealthTestKit
{
    public static HealthOptions Options(Action<HealthOptions>? more = null)
    {
        var options = new HealthOptions
        {
            Interval = TimeSpan.FromMilliseconds(200),
            Timeout = TimeSpan.FromSeconds(5),
            FailureThreshold = 3,
            RecoveryThreshold = 2,
            Failover = { Cooldown = TimeSpan.FromSeconds(30) },
        };
        more?.Invoke(options);
        return options;
    }

    public static MigrationHarnessOptions Harness(string? primaryUrl = null, string candidateUrl = "http://127.0.0.1:9/v1")
    {
        var harness = new MigrationHarnessOptions();
        TestOptions.Valid(candidateUrl)(harness);
        harness.Primary.Name = "openai";
        harness.Primary.BaseUrl = primaryUrl;
        harness.Candidate.Name = "holysheep";
        return harness;
    }

    public static (ProviderHealthMonitor Monitor, HealthMetrics Metrics, IMeterFactory Meters, ServiceProvider Owner) Monitor(
        TimeProvider time, HealthOptions? options = null, MigrationHarnessOptions? harness = null)
    {
        var owner = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = owner.GetRequiredService<IMeterFactory>();
        var metrics = new HealthMetrics(meters);
        var monitor = new ProviderHealthMonitor(
            Microsoft.Extensions.Options.Options.Create(options ?? Options()),
            Microsoft.Extensions.Options.Options.Create(harness ?? Harness()),
            time,
            metrics);
        return (monitor, metrics, meters, owner);
    }
}

/// <summary>A fake provider: <c>GET /v1/models</c> answers <see cref="Status"/> (or hangs), and streams one chunk on chat.</summary>
internal sealed class FakeProvider : IAsyncDisposable
{
    private FakeProvider(KestrelHost host) => Host = host;

    public KestrelHost Host { get; }

    public string BaseUrl => Host.Address.ToString().TrimEnd('/') + "/v1";

    public volatile int Status = 200;

    public volatile bool Hang;

    public ConcurrentQueue<string?> Authorizations { get; } = new();

    public ConcurrentQueue<string> ChatModels { get; } = new();

    public static async Task<FakeProvider> StartAsync()
    {
        FakeProvider? created = null;
        var host = await KestrelHost.StartAsync(
            _ => { },
            app =>
            {
                app.MapGet("/v1/models", async (HttpContext context) =>
                {
                    var self = created!;
                    self.Authorizations.Enqueue(context.Request.Headers.Authorization.ToString());
                    if (self.Hang)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
                    }

                    context.Response.StatusCode = self.Status;
                    await context.Response.WriteAsync("""{"object":"list","data":[]}""");
                });
                app.MapPost("/v1/chat/completions", async (HttpContext context) =>
                {
                    using var doc = await System.Text.Json.JsonDocument.ParseAsync(context.Request.Body);
                    created!.ChatModels.Enqueue(doc.RootElement.GetProperty("model").GetString()!);
                    context.Response.ContentType = "text/event-stream";
                    await context.Response.WriteAsync("data: {\"choices\":[{\"delta\":{\"content\":\"p\"}}]}\n\ndata: [DONE]\n\n");
                });
            });
        created = new FakeProvider(host);
        return created;
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
