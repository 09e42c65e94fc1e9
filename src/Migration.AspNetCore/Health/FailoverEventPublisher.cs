using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Migration.Core.Health;
using Migration.Core.Storage;

namespace Migration.AspNetCore.Health;

/// <summary>
/// Records every automatic switch as a <c>canary_events</c> row (actor <c>health</c>, the probe numbers as metrics)
/// and posts a Slack-compatible alert (<c>{"text": ...}</c>) to <see cref="HealthOptions.AlertWebhookUrl"/>, each
/// retried a few times, off the request path: the monitor only enqueues.
/// </summary>
internal sealed partial class FailoverEventPublisher : BackgroundService
{
    /// <summary>The actor of health events.</summary>
    public const string Actor = "health";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ProviderHealthMonitor _monitor;
    private readonly ICanaryStateStore? _store;
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
        _options = options.Value;
        _time = time;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false, ConnectTimeout = TimeSpan.FromSeconds(5) })
        {
            Timeout = TimeSpan.FromSeconds(10),
        };
    }

    /// <summary>Switches recorded as events so far.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Alerts delivered so far.</summary>
    public long Alerted => Interlocked.Read(ref _alerted);

    /// <summary>The metrics JSON stored with the event: both providers' numbers.</summary>
    internal static string MetricsJson(FailoverSwitch change) => JsonSerializer.Serialize(
        new
        {
            direction = change.ToCandidate ? "to_candidate" : "to_primary",
            primary = Numbers(change.Primary),
            candidate = Numbers(change.Candidate),
        },
        Json);

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
            await foreach (var change in _monitor.Switches.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                await RecordAsync(change, stoppingToken).ConfigureAwait(false);
                await AlertAsync(change, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    private static object Numbers(ProviderHealthSnapshot s) => new
    {
        name = s.Name,
        status = HealthNames.Status(s.Status),
        since = s.Since,
        consecutiveFailures = s.ConsecutiveFailures,
        consecutiveSuccesses = s.ConsecutiveSuccesses,
        samples = s.Samples,
        successRate = s.SuccessRate,
        averageLatencyMs = s.AverageLatency?.TotalMilliseconds,
        lastError = s.LastError,
    };

    private async Task RecordAsync(FailoverSwitch change, CancellationToken cancellationToken)
    {
        if (_store is null)
        {
            return;
        }

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            try
            {
                await _store.RecordEventAsync(ICanaryStateStore.DefaultMigration, Actor, change.Reason, MetricsJson(change), cancellationToken).ConfigureAwait(false);
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
