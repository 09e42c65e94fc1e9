using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Migration.AspNetCore.Candidate;
using Migration.AspNetCore.Configuration;
using Migration.AspNetCore.Telemetry;
using Migration.Core.Comparison;
using Migration.Core.Exchange;
using Migration.Core.OpenAI;
using Migration.Core.Storage;

namespace Migration.AspNetCore.Shadow;

/// <summary>
/// The primary's own consistency: a sampled share (<see cref="ShadowOptions.NoiseFloorRate"/>) of mirrored exchanges is
/// sent a second time to the primary, in the shadow worker (off the request path), and the two primary answers are
/// compared with the same comparer as the candidate's. The result is a row of kind <see cref="ShadowKind.Noise"/>. Only
/// exchanges the primary answered successfully are repeated (a failed production answer has nothing to agree with).
/// A 429 of the primary pauses the noise floor alone for its Retry-After.
/// </summary>
internal sealed partial class NoiseFloor : IDisposable
{
    private readonly CandidateClient? _primary;
    private readonly IResponseComparer _comparer;
    private readonly ShadowResultFactory _results;
    private readonly IRecordSink _sink;
    private readonly HarnessMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<NoiseFloor> _logger;
    private readonly double _rate;
    private readonly PauseGate _pause;

    public NoiseFloor(
        IOptions<MigrationHarnessOptions> options,
        IResponseComparer comparer,
        ShadowResultFactory results,
        IRecordSink sink,
        HarnessMetrics metrics,
        TimeProvider time,
        ILogger<NoiseFloor> logger)
        : this(options, comparer, results, sink, metrics, time, logger, null)
    {
    }

    internal NoiseFloor(
        IOptions<MigrationHarnessOptions> options,
        IResponseComparer comparer,
        ShadowResultFactory results,
        IRecordSink sink,
        HarnessMetrics metrics,
        TimeProvider time,
        ILogger<NoiseFloor> logger,
        HttpMessageHandler? handler)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(comparer);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _comparer = comparer;
        _results = results;
        _sink = sink;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _pause = new PauseGate(time);
        _rate = options.Value.Shadow.NoiseFloorRate;
        _primary = _rate > 0 ? CandidateClient.ForPrimary(options.Value, time, handler) : null;
    }

    /// <summary>The configured share of mirrored exchanges repeated on the primary.</summary>
    public double Rate => _rate;

    /// <summary>Whether noise-floor calls are made at all (a rate above 0 and <c>Primary:BaseUrl</c> set).</summary>
    public bool Active => _primary is not null;

    /// <summary>Why the noise floor is inactive; null when it is active.</summary>
    public string? InactiveReason => Active ? null : _rate <= 0 ? "Shadow:NoiseFloorRate is 0" : "Primary:BaseUrl is not set";

    /// <summary>End of a pause the primary's 429 imposed on noise calls; null when not paused.</summary>
    public DateTimeOffset? PausedUntil => _pause.PausedUntil;

    /// <summary>Draws whether this exchange is repeated on the primary.</summary>
    public bool ShouldSample(ShadowExchange exchange, ProviderAnswer primary)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        ArgumentNullException.ThrowIfNull(primary);
        if (_primary is null || !primary.IsSuccess || _pause.IsPaused)
        {
            return false;
        }

        return _rate >= 1 || Random.Shared.NextDouble() < _rate;
    }

    /// <summary>
    /// Sends the exchange's request to the primary again, compares the answer with the production one and hands the
    /// noise row to the sink. Never throws except for cancellation. Returns what the second call was billed (null when
    /// the primary reported no priced usage).
    /// </summary>
    public async Task<decimal?> ProcessAsync(ShadowExchange exchange, ProviderAnswer primary, ComparisonContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(context);
        if (_primary is null)
        {
            return null;
        }

        using var response = await _primary.SendShadowAsync(exchange.Route, exchange.RequestBody.Memory, exchange.Streamed, cancellationToken).ConfigureAwait(false);
        if (response.RetryAfter is { } wait)
        {
            _pause.PauseUntil(_time.GetUtcNow() + wait);
            Log.PrimaryRateLimited(_logger, wait.TotalSeconds);
        }

        var second = response.Body is { } body
            ? ProviderAnswerReader.Read(response.Status ?? 0, body.Memory.Span, response.ContentType, exchange.Kind)
            : new ProviderAnswer { Status = 0, Kind = exchange.Kind, Error = response.ErrorMessage };
        var error = ShadowDispatcher.ClassifyCandidate(response, second);
        var comparison = _comparer.Compare(primary, second, context);
        if (error != ErrorClass.None && comparison.Verdict != Verdict.Error)
        {
            comparison = comparison with { Verdict = Verdict.Error, Score = null, Tier = null, SemanticPairs = [] };
        }

        var row = _results.CreateNoise(exchange, primary, second, response, error, comparison);
        _metrics.NoiseCompared(comparison.Verdict);
        if (!_sink.TryWrite(row))
        {
            Log.ResultDropped(_logger);
        }

        return row.CandidateCostUsd;
    }

    public void Dispose() => _primary?.Dispose();

    private static partial class Log
    {
        [LoggerMessage(EventId = 1211, EventName = "NoisePrimaryRateLimited", Level = LogLevel.Warning,
            Message = "The primary answered 429 to a noise-floor call: noise-floor calls pause for {Seconds} s.")]
        public static partial void PrimaryRateLimited(ILogger logger, double seconds);

        [LoggerMessage(EventId = 1212, EventName = "NoiseResultDropped", Level = LogLevel.Debug,
            Message = "The record sink refused a noise-floor result (its buffer is full).")]
        public static partial void ResultDropped(ILogger logger);
    }
}
