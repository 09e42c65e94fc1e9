using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Migration.AspNetCore.Configuration;
using Migration.Core.Health;
using Migration.Core.Reporting;
using Migration.Core.Storage;

namespace Migration.AspNetCore.Health;

/// <summary>
/// Records every provider status change and every automatic switch as a <c>canary_events</c> row (actor
/// <c>health</c>, metrics <see cref="HealthEventMetrics"/>: <c>kind</c> <c>status</c>, <c>failover</c> or
/// <c>failback</c>, both providers' numbers and the instance), and posts a Slack-compatible alert
/// (<c>{"text": ...}</c>) to <see cref="HealthOptions.AlertWebhookUrl"/> for switches only, each retried a few
/// times, off the request path: the monitor only enqueues. The report's <c>providers</c> section is read from these rows.
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
    private readonly HttpClient _http;
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
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false, ConnectTimeout = TimeSpan.FromSeconds(5) })
        {
            Timeout = TimeSpan.FromSeconds(10),
        };
    }

    /// <summary>Health changes (switches and status changes) recorded as events so far.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Alerts delivered so far.</summary>
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

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

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
                        await AlertAsync(switched, stoppingToken).ConfigureAwait(false);
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

    private async Task AlertAsync(FailoverSwitch change, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(_options.AlertWebhookUrl))
        {
            return;
        }

        for (var attempt = 1; attempt <= _options.AlertAttempts; attempt++)
        {
            try
            {
                using var response = await _http.PostAsJsonAsync(_options.AlertWebhookUrl, new { text = AlertText(change) }, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref _alerted);
                    return;
                }

                Log.AlertFailed(_logger, attempt, string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode}"));
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                Log.AlertFailed(_logger, attempt, ex.Message);
            }

            if (attempt < _options.AlertAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt * attempt), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1821, EventName = "FailoverEventRecordFailed", Level = LogLevel.Warning, Message = "Recording a failover event failed (attempt {Attempt})")]
        public static partial void RecordFailed(ILogger logger, int attempt, Exception exception);

        [LoggerMessage(EventId = 1822, EventName = "FailoverAlertFailed", Level = LogLevel.Warning, Message = "Posting a failover alert failed (attempt {Attempt}): {Error}")]
        public static partial void AlertFailed(ILogger logger, int attempt, string error);
    }
}
