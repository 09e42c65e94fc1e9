using System.Globalization;
using System.Net.Http.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Migration.AspNetCore.Alerts;

/// <summary>
/// The one webhook sender of the harness (canary alerts, failover alerts): posts Slack-compatible JSON
/// (<c>{"text": "..."}</c>) off the caller's path. <see cref="TryPost"/> never blocks: posts go into a small bounded
/// channel (the oldest is dropped and counted when full) drained here, each retried with backoff
/// (<see cref="FirstRetryDelay"/>, doubling, on the injected clock) after a connection error, a timeout
/// (<see cref="RequestTimeout"/>) or a non-2xx answer, up to the attempts its caller asked for.
/// </summary>
internal sealed partial class WebhookSender : BackgroundService
{
    internal const int Capacity = 64;
    internal static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(500);
    internal static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(10);

    private readonly Channel<WebhookPost> _channel;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookSender> _logger;
    private readonly HttpClient _http;
    private long _sent;
    private long _failed;
    private long _dropped;

    public WebhookSender(TimeProvider time, ILogger<WebhookSender> logger)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _time = time;
        _logger = logger;
        _channel = Channel.CreateBounded<WebhookPost>(
            new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false, ConnectTimeout = TimeSpan.FromSeconds(5) })
        {
            Timeout = DefaultRequestTimeout,
        };
    }

    /// <summary>
    /// How long one post may take before it counts as a failed attempt (and is retried). Default
    /// <see cref="DefaultRequestTimeout"/>; set at construction (tests use a short one).
    /// </summary>
    internal TimeSpan RequestTimeout
    {
        get => _http.Timeout;
        init => _http.Timeout = value;
    }

    /// <summary>Posts delivered.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Posts given up after every attempt failed.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Posts dropped unsent because the channel was full (the oldest goes).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Queues <paramref name="text"/> for <paramref name="url"/>, tried up to <paramref name="attempts"/> times. Never blocks.</summary>
    public bool TryPost(Uri url, string text, int attempts)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(attempts, 1);
        return _channel.Writer.TryWrite(new WebhookPost(url, text, attempts));
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var post in _channel.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                await SendAsync(post, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SendAsync(WebhookPost post, CancellationToken stoppingToken)
    {
        var delay = FirstRetryDelay;
        for (var attempt = 1; attempt <= post.Attempts; attempt++)
        {
            try
            {
                using var response = await _http.PostAsJsonAsync(post.Url, new { text = post.Text }, stoppingToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref _sent);
                    return;
                }

                Log.AttemptFailed(_logger, post.Url.Host, attempt, string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode}"));
            }
            // A timeout (HttpClient.Timeout) surfaces as a TaskCanceledException while stoppingToken is not cancelled:
            // a failed attempt like a connection error, retried. Cancellation by stoppingToken ends the loop.
            catch (Exception ex) when ((ex is HttpRequestException or OperationCanceledException) && !stoppingToken.IsCancellationRequested)
            {
                Log.AttemptFailed(_logger, post.Url.Host, attempt, ex is OperationCanceledException ? "timed out" : ex.GetType().Name);
            }

            if (attempt < post.Attempts)
            {
                await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
                delay *= 2;
            }
        }

        Interlocked.Increment(ref _failed);
        Log.GaveUp(_logger, post.Url.Host, post.Attempts);
    }

    private sealed record WebhookPost(Uri Url, string Text, int Attempts);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1701, EventName = "WebhookAttemptFailed", Level = LogLevel.Warning,
            Message = "Posting an alert to the webhook at {Host} failed (attempt {Attempt}: {Failure}).")]
        public static partial void AttemptFailed(ILogger logger, string host, int attempt, string failure);

        [LoggerMessage(EventId = 1702, EventName = "WebhookGaveUp", Level = LogLevel.Error,
            Message = "An alert could not be posted to the webhook at {Host} after {Attempts} attempts; it is dropped.")]
        public static partial void GaveUp(ILogger logger, string host, int attempts);
    }
}
