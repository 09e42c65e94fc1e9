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
        var time = new TestTimeProvider();
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
    public void TryPost_NoWebhookConfigured_ReturnsFalse()
    {
        using var sender = new CanaryAlertSender(Options.Create(new MigrationHarnessOptions()), new TestTimeProvider(), NullLogger<CanaryAlertSender>.Instance);

        Assert.False(sender.Enabled);
        Assert.False(sender.TryPost("nothing"));
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(5, limit.Token);
        }
    }
}
