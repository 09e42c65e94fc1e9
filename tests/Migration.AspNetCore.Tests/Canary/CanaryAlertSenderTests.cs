using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Migration.AspNetCore.Alerts;
using Migration.AspNetCore.Canary;
using Migration.AspNetCore.Configuration;
using Migration.AspNetCore.Tests.Infrastructure;
using Migration.TestKit;

namespace Migration.AspNetCore.Tests.Canary;

public sealed class CanaryAlertSenderTests
{
    [Fact]
    public async Task TryPost_WebhookConfigured_DeliveredToTheCanaryWebhookAsSlackText()
    {
        var received = new ConcurrentQueue<string>();
        await using var hook = await KestrelHost.StartAsync(_ => { }, app => app.MapPost("/canary-hook", async (HttpContext ctx) =>
        {
            using var reader = new StreamReader(ctx.Request.Body);
            received.Enqueue(await reader.ReadToEndAsync());
            return Results.Ok();
        }));
        using var webhook = new WebhookSender(new FakeClock(), NullLogger<WebhookSender>.Instance);
        await webhook.StartAsync(CancellationToken.None);
        var sender = new CanaryAlertSender(
            Options.Create(new MigrationHarnessOptions { Canary = { AlertWebhookUrl = new Uri(hook.Address, "/canary-hook").ToString() } }), webhook);

        Assert.True(sender.Enabled);
        Assert.True(sender.TryPost("canary rolled back: error rate 0.3 > 0.05"));
        await Eventually.UntilAsync("the alert to arrive", () => webhook.Sent == 1);
        await webhook.StopAsync(CancellationToken.None);

        var body = Assert.Single(received);
        Assert.Equal("canary rolled back: error rate 0.3 > 0.05", JsonDocument.Parse(body).RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public void TryPost_NoWebhookConfigured_ReturnsFalse()
    {
        using var webhook = new WebhookSender(new FakeClock(), NullLogger<WebhookSender>.Instance);
        var sender = new CanaryAlertSender(Options.Create(new MigrationHarnessOptions()), webhook);

        Assert.False(sender.Enabled);
        Assert.False(sender.TryPost("nothing"));
    }
}
