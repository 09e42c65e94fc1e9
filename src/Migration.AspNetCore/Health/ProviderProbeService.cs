using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Migration.AspNetCore.Configuration;
using Migration.Core.Health;

namespace Migration.AspNetCore.Health;

/// <summary>
/// Probes each provider every <see cref="HealthOptions.Interval"/> with <c>GET {BaseUrl}/models</c> (its own bearer
/// key; no tokens billed), each probe bounded by <see cref="HealthOptions.Timeout"/>, and feeds the outcome to
/// <see cref="ProviderHealthMonitor"/>. The primary is only probed when <c>Migration:Primary:BaseUrl</c> is set
/// (otherwise live traffic is its only signal). The optional streaming probe asks for one token and measures the time
/// to the first streamed chunk, at most every <see cref="StreamingProbeOptions.Interval"/>.
/// </summary>
internal sealed partial class ProviderProbeService : BackgroundService
{
    private readonly ProviderHealthMonitor _monitor;
    private readonly HealthMetrics _metrics;
    private readonly HealthOptions _options;
    private readonly MigrationHarnessOptions _harness;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private long _lastStreamingProbe;
    private bool _streamingProbed;

    public ProviderProbeService(
        ProviderHealthMonitor monitor,
        HealthMetrics metrics,
        IOptions<HealthOptions> options,
        IOptions<MigrationHarnessOptions> harness,
        TimeProvider time,
        ILogger<ProviderProbeService>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(harness);
        ArgumentNullException.ThrowIfNull(time);
        _monitor = monitor;
        _metrics = metrics;
        _options = options.Value;
        _harness = harness.Value;
        _time = time;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _http = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            ConnectTimeout = _options.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        })
        {
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Probes every configured provider once, concurrently, and feeds the results (also used by tests).</summary>
    public async Task ProbeOnceAsync(CancellationToken cancellationToken)
    {
        var probes = new List<Task>(2);
        if (Target(ProviderRole.Primary) is { } primary)
        {
            probes.Add(ProbeAsync(ProviderRole.Primary, primary, cancellationToken));
        }

        if (Target(ProviderRole.Candidate) is { } candidate)
        {
            probes.Add(ProbeAsync(ProviderRole.Candidate, candidate, cancellationToken));
        }

        await Task.WhenAll(probes).ConfigureAwait(false);
        if (_options.StreamingProbe.Enabled && StreamingDue())
        {
            await StreamingProbeAllAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.ProbesEnabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(_options.Interval, _time);
        try
        {
            do
            {
                try
                {
                    await ProbeOnceAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.ProbeLoopFailed(_logger, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    private (string BaseUrl, string? ApiKey, string Name)? Target(ProviderRole role) => role switch
    {
        ProviderRole.Primary when !string.IsNullOrWhiteSpace(_harness.Primary.BaseUrl) => (_harness.Primary.BaseUrl!, _harness.Primary.ApiKey, _harness.Primary.Name),
        ProviderRole.Candidate when !string.IsNullOrWhiteSpace(_harness.Candidate.BaseUrl) => (_harness.Candidate.BaseUrl, _harness.Candidate.ApiKey, _harness.Candidate.Name),
        _ => null,
    };

    private async Task ProbeAsync(ProviderRole role, (string BaseUrl, string? ApiKey, string Name) target, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        bool success;
        string? error = null;
        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Combine(target.BaseUrl, "models"));
            Authorize(request, target.ApiKey);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            success = response.IsSuccessStatusCode;
            if (!success)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"probe: HTTP {(int)response.StatusCode}");
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            success = false;
            error = string.Create(CultureInfo.InvariantCulture, $"probe: no answer within {_options.Timeout.TotalMilliseconds:0} ms");
        }
        catch (HttpRequestException ex)
        {
            success = false;
            error = "probe: " + (ex.HttpRequestError == HttpRequestError.Unknown ? ex.Message : ex.HttpRequestError.ToString());
        }

        var elapsed = _time.GetElapsedTime(started);
        _metrics.Probed(role, target.Name, success, elapsed);
        _monitor.RecordProbe(role, success, elapsed, error);
        if (!success)
        {
            Log.ProbeFailed(_logger, target.Name, error);
        }
    }

    private bool StreamingDue()
    {
        var now = _time.GetTimestamp();
        if (_streamingProbed && _time.GetElapsedTime(_lastStreamingProbe, now) < _options.StreamingProbe.Interval)
        {
            return false;
        }

        _streamingProbed = true;
        _lastStreamingProbe = now;
        return true;
    }

    private async Task StreamingProbeAllAsync(CancellationToken cancellationToken)
    {
        var model = _options.StreamingProbe.Model;
        if (string.IsNullOrWhiteSpace(model))
        {
            return;
        }

        var candidateModel = _harness.Candidate.ModelMap.TryGetValue(model, out var mapped) ? mapped : model;
        var probes = new List<Task>(2);
        if (Target(ProviderRole.Primary) is { } primary && MayProbe(model))
        {
            probes.Add(StreamingProbeAsync(ProviderRole.Primary, primary, model, cancellationToken));
        }

        if (Target(ProviderRole.Candidate) is { } candidate && MayProbe(candidateModel))
        {
            probes.Add(StreamingProbeAsync(ProviderRole.Candidate, candidate, candidateModel, cancellationToken));
        }

        await Task.WhenAll(probes).ConfigureAwait(false);
    }

    private bool MayProbe(string model) => _options.StreamingProbe.AllowReasoningModels || !ReasoningModels.LooksLikeReasoning(model);

    private async Task StreamingProbeAsync(ProviderRole role, (string BaseUrl, string? ApiKey, string Name) target, string model, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Combine(target.BaseUrl, "chat/completions"));
            Authorize(request, target.ApiKey);
            var body = "{\"model\":" + System.Text.Json.JsonSerializer.Serialize(model) +
                ",\"messages\":[{\"role\":\"user\",\"content\":\"ping\"}],\"max_tokens\":1,\"stream\":true}";
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                Log.ProbeFailed(_logger, target.Name, string.Create(CultureInfo.InvariantCulture, $"streaming probe: HTTP {(int)response.StatusCode}"));
                return;
            }

            await using var stream = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            while (await reader.ReadLineAsync(linked.Token).ConfigureAwait(false) is { } line)
            {
                if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    _monitor.Tracker(role).RecordTimeToFirstToken(_time.GetElapsedTime(started));
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // The /models probe carries the verdict; a failed TTFT probe is only logged.
            Log.ProbeFailed(_logger, target.Name, "streaming probe: " + ex.GetType().Name);
        }
    }

    private static void Authorize(HttpRequestMessage request, string? apiKey)
    {
        if (!string.IsNullOrEmpty(apiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
    }

    private static Uri Combine(string baseUrl, string path) => new(baseUrl.TrimEnd('/') + "/" + path, UriKind.Absolute);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1811, EventName = "ProbeFailed", Level = LogLevel.Debug, Message = "Health probe of {Provider} failed: {Error}")]
        public static partial void ProbeFailed(ILogger logger, string provider, string? error);

        [LoggerMessage(EventId = 1812, EventName = "ProbeLoopFailed", Level = LogLevel.Error, Message = "The health probe loop failed; it keeps running")]
        public static partial void ProbeLoopFailed(ILogger logger, Exception exception);
    }
}
