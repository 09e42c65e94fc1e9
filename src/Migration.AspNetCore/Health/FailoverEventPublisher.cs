using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Migration.AspNetCore.Alerts;
using Migration.AspNetCore.Configuration;
using Migration.Core.Health;
using Migration.Core.Reporting;
using Migration.Core.Storage;

namespace Migration.AspNetCore.Health;

/// <summary>
/// Records every provider status change and every automatic switch as a <c>canary_events</c> row (actor
/// <c>health</c>, metrics <see cref="HealthEventMetrics"/>: <c>kind</c> <c>status</c>, <c>failover</c> or
/// <c>failback</c>, both providers' numbers and the instance), and hands an alert for switches only to the
/// harness's one <see cref="WebhookSender"/> (Slack-compatible, to <see cref="HealthOptions.AlertWebhookUrl"/>, up to
/// <see cref="HealthOptions.AlertAttempts"/> tries), off the request path: the monitor only enqueues. The report's <c>providers</c> section is read from these rows.
/// </summary>
internal sealed partial class FailoverEventPublisher : BackgroundService
{
    /// <summary>The actor of health events.</summary>
    public const string Actor = HealthEventMetrics.Actor;

    private readonly ProviderHealthMonitor _monitor;
    private readonly ICanaryStateStore? _store;
    private readonly string _migration;
    private readonly HealthOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly WebhookSender? _webhook;
    private readonly Uri? _alertUrl;
    private long _published;
    private long _alerted;

    public FailoverEventPublisher(
        ProviderHealthMonitor monitor,
        IServiceProvider services,
        IOptions<HealthOptions> options,
        TimeProvider time,
        ILogger<FailoverEventPublisher>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _monitor = monitor;
        _store = services.GetService<ICanaryStateStore>();

        // The migration the report reads its events from (the harness's canary key).
        _migration = services.GetService<IOptions<MigrationHarnessOptions>>()?.Value.Canary.Migration is { Length: > 0 } key
            ? key
            : ICanaryStateStore.DefaultMigration;
        _options = options.Value;
        _time = time;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _webhook = services.GetService<WebhookSender>();
        _alertUrl = string.IsNullOrWhiteSpace(_options.AlertWebhookUrl) ? null : new Uri(_options.AlertWebhookUrl, UriKind.Absolute);
    }

    /// <summary>Health changes (switches and status changes) recorded as events so far.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Alerts handed to the webhook sender so far (its own counters say what was delivered).</summary>
    public long Alerted => Interlocked.Read(ref _alerted);

    /// <summary>The metrics JSON stored with a switch event: kind, direction, both providers' numbers and the instance.</summary>
    internal static string MetricsJson(FailoverSwitch change, string? instance = null) => new HealthEventMetrics
    {
        Kind = change.ToCandidate ? HealthEventMetrics.FailoverKind : HealthEventMetrics.FailbackKind,
        Direction = change.ToCandidate ? HealthEventMetrics.ToCandidate : HealthEventMetrics.ToPrimary,
        Instance = instance,
        Primary = Numbers(change.Primary),
        Candidate = Numbers(change.Candidate),
    }.ToJson();

    /// <summary>
    /// The metrics JSON stored with a status change event: kind <c>status</c>, which provider went from what to
    /// what, the route at the time, both providers' numbers and the instance.
    /// </summary>
    internal static string MetricsJson(ProviderStatusChange change, string? instance = null) => new HealthEventMetrics
    {
        Kind = HealthEventMetrics.StatusKind,
        Role = HealthNames.Role(change.Role),
        From = HealthNames.Status(change.From),
        To = HealthNames.Status(change.To),
        Instance = instance,
        FailoverActive = change.Route.RouteToCandidate,
        FailoverSince = change.Route.LastSwitchAt,
        FailoverReason = change.RouteReason,
        Primary = Numbers(change.Primary),
        Candidate = Numbers(change.Candidate),
    }.ToJson();

    /// <summary>The alert text.</summary>
    internal static string AlertText(FailoverSwitch change) => change.ToCandidate
        ? $":rotating_light: Automatic failover: primary-arm traffic now goes to {change.Candidate.Name}. {change.Reason}"
        : $":white_check_mark: Automatic failback: traffic is back on {change.Primary.Name}. {change.Reason}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var change in _monitor.Events.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                switch (change)
                {
                    case FailoverSwitch switched:
                        await RecordAsync(change, MetricsJson(switched, _monitor.Instance), stoppingToken).ConfigureAwait(false);
                        Alert(switched);
                        break;
                    case ProviderStatusChange status:
                        await RecordAsync(change, MetricsJson(status, _monitor.Instance), stoppingToken).ConfigureAwait(false);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    private static HealthEventProvider Numbers(ProviderHealthSnapshot s) => new()
    {
        Name = s.Name,
        Status = HealthNames.Status(s.Status),
        Since = s.Since,
        ConsecutiveFailures = s.ConsecutiveFailures,
        ConsecutiveSuccesses = s.ConsecutiveSuccesses,
        Samples = s.Samples,
        SuccessRate = s.SuccessRate,
        AverageLatencyMs = s.AverageLatency?.TotalMilliseconds,
        LastError = s.LastError,
    };

    private async Task RecordAsync(HealthChange change, string metricsJson, CancellationToken cancellationToken)
    {
        if (_store is null)
        {
            return;
        }

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            try
            {
                await _store.RecordEventAsync(_migration, Actor, change.Reason, metricsJson, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _published);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.RecordFailed(_logger, attempt, ex);
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void Alert(FailoverSwitch change)
    {
        if (_alertUrl is not null && _webhook is not null && _webhook.TryPost(_alertUrl, AlertText(change), _options.AlertAttempts))
        {
            Interlocked.Increment(ref _alerted);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1821, EventName = "FailoverEventRecordFailed", Level = LogLevel.Warning, Message = "Recording a failover event failed (attempt {Attempt})")]
        public static partial void RecordFailed(ILogger logger, int attempt, Exception exception);
    }
}
