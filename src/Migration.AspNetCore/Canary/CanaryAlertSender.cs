using System.Net.Http.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Migration.AspNetCore.Configuration;

namespace Migration.AspNetCore.Canary;

/// <summary>
/// Posts canary alerts (rollback, promotion) to <see cref="CanaryOptions.AlertWebhookUrl"/> as Slack-compatible
/// JSON (<c>{"text": "..."}</c>). <see cref="TryPost"/> never blocks: alerts go into a small bounded channel (the
/// oldest is dropped when full) drained here, each retried with backoff a few times after a connection error, a
/// timeout (<see cref="RequestTimeout"/>) or a non-2xx answer.
/// </summary>
internal sealed partial class CanaryAlertSender : BackgroundService
{
    internal const int Capacity = 64;
    internal const int MaxAttempts = 4;
    internal static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(500);
    internal static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(10);

    private readonly Channel<string> _channel = Channel.CreateBounded<string>(new BoundedChannelOptions(Capacity)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
    });

    private readonly Uri? _url;
    private readonly TimeProvider _time;
    private readonly ILogger<CanaryAlertSender> _logger;
    private readonly HttpClient _http;
    private long _sent;
    private long _failed;

    public CanaryAlertSender(IOptions<MigrationHarnessOptions> options, TimeProvider time, ILogger<CanaryAlertSender> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        var url = options.Value.Canary.AlertWebhookUrl;
        _url = string.IsNullOrWhiteSpace(url) ? null : new Uri(url, UriKind.Absolute);
        _time = time;
        _logger = logger;
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(5) })
        {
            Timeout = DefaultRequestTimeout,
        };
    }

    /// <summary>Whether a webhook is configured.</summary>
    public bool Enabled => _url is not null;

    /// <summary>
    /// How long one post may take before it counts as a failed attempt (and is retried). Default
    /// <see cref="DefaultRequestTimeout"/>; set at construction (tests use a short one).
    /// </summary>
    internal TimeSpan RequestTimeout
    {
        get => _http.Timeout;
        init => _http.Timeout = value;
    }

    /// <summary>Alerts delivered.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Alerts given up after every attempt failed.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Queues an alert; false when no webhook is configured. Never blocks.</summary>
    public bool TryPost(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _url is not null && _channel.Writer.TryWrite(text);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_url is null)
        {
            return;
        }

        try
        {
            await foreach (var text in _channel.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                await SendAsync(_url, text, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    private async Task SendAsync(Uri url, string text, CancellationToken stoppingToken)
    {
        var delay = FirstRetryDelay;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            try
            {
                using var response = await _http.PostAsJsonAsync(url, new { text }, stoppingToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref _sent);
                    return;
                }

                Log.AttemptFailed(_logger, attempt, "HTTP " + (int)response.StatusCode);
            }
            // A timeout (HttpClient.Timeout) surfaces as a TaskCanceledException while stoppingToken is not cancelled:
            // a failed attempt like a connection error, retried. Cancellation by stoppingToken ends the loop.
            catch (Exception ex) when ((ex is HttpRequestException or OperationCanceledException) && !stoppingToken.IsCancellationRequested)
            {
                Log.AttemptFailed(_logger, attempt, ex is OperationCanceledException ? "timed out" : ex.GetType().Name);
            }

            if (attempt < MaxAttempts)
            {
                await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
                delay *= 2;
            }
        }

        Interlocked.Increment(ref _failed);
        Log.GaveUp(_logger, MaxAttempts);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1701, EventName = "CanaryAlertAttemptFailed", Level = LogLevel.Warning,
            Message = "Posting a canary alert to the webhook failed (attempt {Attempt}: {Failure}).")]
        public static partial void AttemptFailed(ILogger logger, int attempt, string failure);

        [LoggerMessage(EventId = 1702, EventName = "CanaryAlertGaveUp", Level = LogLevel.Error,
            Message = "A canary alert could not be posted to the webhook after {Attempts} attempts; it is dropped.")]
        public static partial void GaveUp(ILogger logger, int attempts);
    }
}
