using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Migration.AspNetCore.Canary;
using Migration.AspNetCore.Configuration;
using Migration.AspNetCore.Tests.Infrastructure;
using Migration.TestKit;

namespace Migration.AspNetCore.Tests.Canary;

public sealed class CanaryAlertSenderTests
{
    [Fact]
    public async Task TryPost_WebhookFailsOnce_RetriedAfterBackoffAndDeliveredAsSlackText()
    {
        var received = new ConcurrentQueue<string>();
        var calls = 0;
        await using var hook = await KestrelHost.StartAsync(_ => { }, app => app.MapPost("/hook", async (HttpContext ctx) =>
        {
            using var reader = new StreamReader(ctx.Request.Body);
            received.Enqueue(await reader.ReadToEndAsync());
            return Interlocked.Increment(ref calls) == 1 ? Results.StatusCode(503) : Results.Ok();
        }));
        var time = new FakeClock();
        var options = Options.Create(new MigrationHarnessOptions { Canary = { AlertWebhookUrl = new Uri(hook.Address, "/hook").ToString() } });
        using var sender = new CanaryAlertSender(options, time, NullLogger<CanaryAlertSender>.Instance);
        await sender.StartAsync(CancellationToken.None);

        Assert.True(sender.TryPost("canary rolled back: error rate 0.3 > 0.05"));
        await WaitAsync(() => received.Count == 1);
        await time.WaitForTimersAsync();
        Assert.Equal(0, sender.Sent);
        time.Advance(CanaryAlertSender.FirstRetryDelay);
        await WaitAsync(() => sender.Sent == 1);
        await sender.StopAsync(CancellationToken.None);

        Assert.Equal(2, received.Count);
        Assert.All(received, body => Assert.Equal("canary rolled back: error rate 0.3 > 0.05", JsonDocument.Parse(body).RootElement.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task TryPost_FirstPostTimesOut_RetriedAndDeliveredOnSecondAttempt()
    {
        var calls = 0;
        await using var hook = await KestrelHost.StartAsync(_ => { }, app => app.MapPost("/hook", async (HttpContext ctx) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                // Hangs far beyond the sender's timeout; ends when the sender gives up on the request.
                await Task.Delay(TimeSpan.FromSeconds(30), ctx.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            }

            return Results.Ok();
        }));
        var time = new FakeClock();
        using var sender = Sender(hook, time, requestTimeout: TimeSpan.FromMilliseconds(300));
        await sender.StartAsync(CancellationToken.None);

        Assert.True(sender.TryPost("canary promoted to 100 %"));
        await WaitAsync(() => Volatile.Read(ref calls) == 1);

        // The first attempt times out (real 300 ms), then the sender waits for its backoff on the fake clock.
        await time.WaitForTimersAsync();
        Assert.Equal(0, sender.Sent);
        Assert.Equal(1, Volatile.Read(ref calls));
        time.Advance(CanaryAlertSender.FirstRetryDelay);
        await WaitAsync(() => sender.Sent == 1);
        await sender.StopAsync(CancellationToken.None);

        Assert.Equal(2, Volatile.Read(ref calls));
        Assert.Equal(0, sender.Failed);
    }

    [Fact]
    public async Task TryPost_EveryPostTimesOut_GivesUpAfterMaxAttempts()
    {
        var calls = 0;
        await using var hook = await KestrelHost.StartAsync(_ => { }, app => app.MapPost("/hook", async (HttpContext ctx) =>
        {
            Interlocked.Increment(ref calls);
            await Task.Delay(TimeSpan.FromSeconds(30), ctx.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return Results.Ok();
        }));
        var time = new FakeClock();
        using var sender = Sender(hook, time, requestTimeout: TimeSpan.FromMilliseconds(200));
        await sender.StartAsync(CancellationToken.None);

        Assert.True(sender.TryPost("canary rolled back"));
        var delay = CanaryAlertSender.FirstRetryDelay;
        for (var attempt = 1; attempt < CanaryAlertSender.MaxAttempts; attempt++)
        {
            await time.WaitForTimersAsync();
            Assert.Equal(attempt, Volatile.Read(ref calls));
            time.Advance(delay);
            delay *= 2;
        }

        await WaitAsync(() => sender.Failed == 1);
        await sender.StopAsync(CancellationToken.None);

        Assert.Equal(CanaryAlertSender.MaxAttempts, Volatile.Read(ref calls));
        Assert.Equal(0, sender.Sent);
    }

    [Fact]
    public void RequestTimeout_NotSet_DefaultTenSeconds()
    {
        using var sender = new CanaryAlertSender(Options.Create(new MigrationHarnessOptions()), new FakeClock(), NullLogger<CanaryAlertSender>.Instance);

        Assert.Equal(CanaryAlertSender.DefaultRequestTimeout, sender.RequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), CanaryAlertSender.DefaultRequestTimeout);
    }

    [Fact]
    public void TryPost_NoWebhookConfigured_ReturnsFalse()
    {
        using var sender = new CanaryAlertSender(Options.Create(new MigrationHarnessOptions()), new FakeClock(), NullLogger<CanaryAlertSender>.Instance);

        Assert.False(sender.Enabled);
        Assert.False(sender.TryPost("nothing"));
    }

    private static CanaryAlertSender Sender(KestrelHost hook, TimeProvider time, TimeSpan requestTimeout) =>
        new(Options.Create(new MigrationHarnessOptions { Canary = { AlertWebhookUrl = new Uri(hook.Address, "/hook").ToString() } }), time, NullLogger<CanaryAlertSender>.Instance)
        {
            RequestTimeout = requestTimeout,
        };

    private static async Task WaitAsync(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(5, limit.Token);
        }
    }
}
