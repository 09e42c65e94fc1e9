using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Migration.AspNetCore.Alerts;
using Migration.AspNetCore.Tests.Infrastructure;
using Migration.TestKit;

namespace Migration.AspNetCore.Tests.Alerts;

/// <summary>The one webhook sender (canary and failover alerts) against a real Kestrel hook and the fake clock.</summary>
public sealed class WebhookSenderTests
{
    private const int MaxAttempts = 4;

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
        using var sender = new WebhookSender(time, NullLogger<WebhookSender>.Instance);
        await sender.StartAsync(CancellationToken.None);

        Assert.True(sender.TryPost(new Uri(hook.Address, "/hook"), "canary rolled back: error rate 0.3 > 0.05", 4));
        await Eventually.UntilAsync("received.Count == 1", () => received.Count == 1);
        await time.WaitForTimersAsync();
        Assert.Equal(0, sender.Sent);
        time.Advance(WebhookSender.FirstRetryDelay);
        await Eventually.UntilAsync("sender.Sent == 1", () => sender.Sent == 1);
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
        using var sender = Sender(time, requestTimeout: TimeSpan.FromMilliseconds(300));
        await sender.StartAsync(CancellationToken.None);

        Assert.True(sender.TryPost(Hook(hook), "canary promoted to 100 %", 4));
        await Eventually.UntilAsync("Volatile.Read(ref calls) == 1", () => Volatile.Read(ref calls) == 1);

        // The first attempt times out (real 300 ms), then the sender waits for its backoff on the fake clock.
        await time.WaitForTimersAsync();
        Assert.Equal(0, sender.Sent);
        Assert.Equal(1, Volatile.Read(ref calls));
        time.Advance(WebhookSender.FirstRetryDelay);
        await Eventually.UntilAsync("sender.Sent == 1", () => sender.Sent == 1);
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
        using var sender = Sender(time, requestTimeout: TimeSpan.FromMilliseconds(200));
        await sender.StartAsync(CancellationToken.None);

        Assert.True(sender.TryPost(Hook(hook), "canary rolled back", MaxAttempts));
        var delay = WebhookSender.FirstRetryDelay;
        for (var attempt = 1; attempt < MaxAttempts; attempt++)
        {
            await time.WaitForTimersAsync();
            Assert.Equal(attempt, Volatile.Read(ref calls));
            time.Advance(delay);
            delay *= 2;
        }

        await Eventually.UntilAsync("sender.Failed == 1", () => sender.Failed == 1);
        await sender.StopAsync(CancellationToken.None);

        Assert.Equal(MaxAttempts, Volatile.Read(ref calls));
        Assert.Equal(0, sender.Sent);
    }

    [Fact]
    public void RequestTimeout_NotSet_DefaultTenSeconds()
    {
        using var sender = new WebhookSender(new FakeClock(), NullLogger<WebhookSender>.Instance);

        Assert.Equal(WebhookSender.DefaultRequestTimeout, sender.RequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), WebhookSender.DefaultRequestTimeout);
    }

    [Fact]
    public void TryPost_ChannelFull_OldestDroppedAndCounted()
    {
        using var sender = new WebhookSender(new FakeClock(), NullLogger<WebhookSender>.Instance);
        var url = new Uri("http://127.0.0.1:9/hook");

        for (var i = 0; i < WebhookSender.Capacity + 3; i++)
        {
            Assert.True(sender.TryPost(url, "alert " + i, 1));
        }

        Assert.Equal(3, sender.Dropped);
    }

    private static Uri Hook(KestrelHost hook) => new(hook.Address, "/hook");

    private static WebhookSender Sender(TimeProvider time, TimeSpan requestTimeout) =>
        new(time, NullLogger<WebhookSender>.Instance) { RequestTimeout = requestTimeout };
}
