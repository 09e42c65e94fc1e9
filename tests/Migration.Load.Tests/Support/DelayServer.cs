using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Migration.Load.Tests.Support;

/// <summary>
/// A real Kestrel server on 127.0.0.1:0 whose answers take a known time: a uniform distribution between
/// <see cref="MinDelay"/> and <see cref="MaxDelay"/>, walked with a low-discrepancy (golden ratio) sequence so that
/// any few hundred consecutive requests cover the distribution evenly. Optionally stalls once, as a whole-process
/// pause would: from request number <c>n</c> on, every request waits until the stall is over.
/// </summary>
internal sealed class DelayServer : IAsyncDisposable
{
    private const double GoldenFraction = 0.6180339887498949;
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<long> _arrivals = [];
    private long _requests;
    private long _stallEnd;

    private DelayServer(WebApplication app, TimeSpan min, TimeSpan max)
    {
        _app = app;
        MinDelay = min;
        MaxDelay = max;
    }

    public TimeSpan MinDelay { get; }

    public TimeSpan MaxDelay { get; }

    public Uri BaseAddress { get; private set; } = null!;

    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>When set, the request with this 1-based number starts a stall of <see cref="StallDuration"/>.</summary>
    public long? StallAtRequest { get; set; }

    public TimeSpan StallDuration { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Stopwatch timestamps of request arrivals.</summary>
    public IReadOnlyList<long> Arrivals
    {
        get
        {
            lock (_gate)
            {
                return [.. _arrivals];
            }
        }
    }

    /// <summary>The configured distribution's percentile in ms.</summary>
    public double ExpectedPercentileMs(double percentile) =>
        MinDelay.TotalMilliseconds + ((MaxDelay - MinDelay).TotalMilliseconds * percentile / 100.0);

    public static async Task<DelayServer> StartAsync(TimeSpan min, TimeSpan max)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new DelayServer(app, min, max);
        app.MapGet("/delay", server.HandleAsync);
        await app.StartAsync();
        server.BaseAddress = new Uri(app.Urls.First());
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var n = Interlocked.Increment(ref _requests);
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            _arrivals.Add(now);
        }

        if (StallAtRequest == n)
        {
            Interlocked.Exchange(ref _stallEnd, now + (long)(StallDuration.TotalSeconds * Stopwatch.Frequency));
        }

        var stallEnd = Interlocked.Read(ref _stallEnd);
        if (now < stallEnd)
        {
            await Task.Delay(Stopwatch.GetElapsedTime(now, stallEnd), context.RequestAborted);
        }

        var fraction = n * GoldenFraction % 1.0;
        var delay = MinDelay + ((MaxDelay - MinDelay) * fraction);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, context.RequestAborted);
        }

        await context.Response.WriteAsync("ok-0123456789");
    }
}
