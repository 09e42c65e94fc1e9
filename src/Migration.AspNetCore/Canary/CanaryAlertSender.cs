using Microsoft.Extensions.Options;
using Migration.AspNetCore.Alerts;
using Migration.AspNetCore.Configuration;

namespace Migration.AspNetCore.Canary;

/// <summary>
/// Canary alerts (rollback, promotion) to <see cref="CanaryOptions.AlertWebhookUrl"/>, through the harness's one
/// <see cref="WebhookSender"/> (queued, never blocking, each tried up to <see cref="MaxAttempts"/> times).
/// </summary>
internal sealed class CanaryAlertSender
{
    internal const int MaxAttempts = 4;

    private readonly Uri? _url;
    private readonly WebhookSender _webhook;

    public CanaryAlertSender(IOptions<MigrationHarnessOptions> options, WebhookSender webhook)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(webhook);
        var url = options.Value.Canary.AlertWebhookUrl;
        _url = string.IsNullOrWhiteSpace(url) ? null : new Uri(url, UriKind.Absolute);
        _webhook = webhook;
    }

    /// <summary>Whether a webhook is configured.</summary>
    public bool Enabled => _url is not null;

    /// <summary>Queues an alert; false when no webhook is configured (or the queue refused it). Never blocks.</summary>
    public bool TryPost(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _url is not null && _webhook.TryPost(_url, text, MaxAttempts);
    }
}
