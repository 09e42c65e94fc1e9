using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Migration.AspNetCore.Canary;
using Migration.AspNetCore.Shadow;
using Migration.Core.Comparison;
using Migration.Core.Exchange;
using Migration.Core.Health;
using Migration.Core.Storage;

namespace Migration.AspNetCore.Telemetry;

/// <summary>The instruments of the meter <c>Migration.Harness</c>.</summary>
internal sealed partial class HarnessMetrics
{
    public const string MeterName = "Migration.Harness";

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _requestDuration;
    private readonly Counter<long> _shadowEnqueued;
    private readonly Counter<long> _shadowDropped;
    private readonly Counter<long> _shadowVerdicts;
    private readonly Histogram<double> _shadowDuration;
    private readonly Counter<long> _candidateRateLimited;
    private readonly Counter<long> _candidateAttempts;
    private readonly Counter<double> _candidateAttemptCost;
    private readonly Counter<long> _candidateAttemptsDropped;
    private readonly Counter<long> _noiseVerdicts;
    private long _noiseCompared;
    private long _enqueuedTotal;
    private long _droppedQueueFull;
    private long _droppedPaused;
    private long _droppedTooLarge;
    private long _droppedWorkerError;
    private long _droppedStopped;
    private long _droppedSinkRefused;
    private readonly ConcurrentDictionary<string, byte> _dropLogged = new(StringComparer.Ordinal);
    private readonly ILogger? _logger;
    private long _comparedTotal;

    public HarnessMetrics(IMeterFactory meterFactory, ShadowQueue queue, CanaryStateCache? canary = null, IRecordSink? sink = null, ILogger<HarnessMetrics>? logger = null)
    {
        _logger = logger;
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(queue);
        var meter = meterFactory.Create(MeterName);
        if (canary is not null)
        {
            meter.CreateObservableGauge("migration.canary.weight", () => canary.Current.Weight, "%", "Percent of live traffic this instance routes to the candidate.");
        }

        if (sink is not null)
        {
            // Writer lag: records handed to storage and not written yet (and those it gave up on).
            meter.CreateObservableGauge("migration.recorder.pending", () => sink.Stats.Pending, "{record}", "Records waiting to be written to storage (writer lag).");
            meter.CreateObservableCounter("migration.recorder.dropped", () => RecorderDrops(sink.Drops), "{record}", "Records storage dropped, per reason (buffer_full, rejected, schema_missing, stopped).");
        }

        _requests = meter.CreateCounter<long>("migration.requests", "{request}", "Requests handled by the harness, per arm and outcome.");
        _requestDuration = meter.CreateHistogram<double>("migration.request.duration", "s", "Duration of requests handled by the harness.");
        _shadowEnqueued = meter.CreateCounter<long>("migration.shadow.enqueued", "{exchange}", "Exchanges queued for mirroring.");
        _shadowDropped = meter.CreateCounter<long>("migration.shadow.dropped", "{exchange}", "Sampled exchanges not mirrored, per reason.");
        meter.CreateObservableGauge("migration.shadow.queue.depth", () => queue.Count, "{exchange}", "Exchanges waiting for a shadow worker.");
        _shadowVerdicts = meter.CreateCounter<long>("migration.shadow.verdicts", "{exchange}", "Compared exchanges per verdict.");
        _shadowDuration = meter.CreateHistogram<double>("migration.shadow.duration", "s", "Duration of mirrored candidate calls.");
        _candidateRateLimited = meter.CreateCounter<long>(
            "migration.candidate.rate_limited", "{response}", "Candidate 429 answers to live requests, per action taken (retry after the wait, or fallback).");
        _candidateAttempts = meter.CreateCounter<long>(
            "migration.candidate.attempts", "{attempt}", "Attempts of live requests along a fallback model chain on the candidate, per model and outcome.");
        _candidateAttemptCost = meter.CreateCounter<double>(
            "migration.candidate.attempt.cost", "USD", "What attempts along a fallback model chain cost, per model (from the usage the answers reported).");
        _noiseVerdicts = meter.CreateCounter<long>(
            "migration.shadow.noise.verdicts", "{exchange}", "Noise-floor comparisons (the primary against itself) per verdict.");
        _candidateAttemptsDropped = meter.CreateCounter<long>(
            "migration.candidate.attempts.dropped", "{attempt}", "Attempt records the storage could not take (buffer full).");
    }

    public void RequestFinished(TrafficArm arm, ErrorClass error, TimeSpan duration) => RequestFinished(arm, error, duration, null);

    /// <summary>Counts a finished request; <paramref name="reason"/> (e.g. <c>canary</c>, <c>failover</c>) tags why the arm was chosen.</summary>
    public void RequestFinished(TrafficArm arm, ErrorClass error, TimeSpan duration, string? reason)
    {
        if (_requests.Enabled || _requestDuration.Enabled)
        {
            var armTag = new KeyValuePair<string, object?>("arm", ArmName(arm));
            var outcomeTag = new KeyValuePair<string, object?>("outcome", OutcomeName(error));
            if (reason is null)
            {
                _requests.Add(1, armTag, outcomeTag);
                _requestDuration.Record(duration.TotalSeconds, armTag, outcomeTag);
            }
            else
            {
                var reasonTag = new KeyValuePair<string, object?>("reason", reason);
                _requests.Add(1, armTag, outcomeTag, reasonTag);
                _requestDuration.Record(duration.TotalSeconds, armTag, outcomeTag, reasonTag);
            }
        }
    }

    /// <summary>Counts a candidate 429 on a live request and what was done about it.</summary>
    public void CandidateRateLimited(RateLimitAction action)
    {
        if (_candidateRateLimited.Enabled)
        {
            _candidateRateLimited.Add(1, new KeyValuePair<string, object?>("action", action == RateLimitAction.RetryAfterWait ? "retry" : "fallback"));
        }
    }

    /// <summary>Counts an attempt of a fallback model chain and adds its cost.</summary>
    public void CandidateAttempt(string model, string outcome, decimal? costUsd)
    {
        var modelTag = new KeyValuePair<string, object?>("model", model);
        if (_candidateAttempts.Enabled)
        {
            _candidateAttempts.Add(1, modelTag, new KeyValuePair<string, object?>("outcome", outcome));
        }

        if (costUsd is { } cost && _candidateAttemptCost.Enabled)
        {
            _candidateAttemptCost.Add((double)cost, modelTag);
        }
    }

    /// <summary>Counts an attempt record the storage dropped.</summary>
    public void CandidateAttemptDropped() => _candidateAttemptsDropped.Add(1);

    /// <summary>Counts since start, for the status endpoint.</summary>
    public ShadowCounts Counts => new(
        Interlocked.Read(ref _enqueuedTotal),
        Interlocked.Read(ref _comparedTotal),
        Interlocked.Read(ref _droppedQueueFull),
        Interlocked.Read(ref _droppedPaused),
        Interlocked.Read(ref _droppedTooLarge),
        Interlocked.Read(ref _droppedWorkerError),
        Interlocked.Read(ref _droppedStopped),
        Interlocked.Read(ref _droppedSinkRefused));

    public void ShadowEnqueued()
    {
        Interlocked.Increment(ref _enqueuedTotal);
        _shadowEnqueued.Add(1);
    }

    public void ShadowDropped(string reason)
    {
        switch (reason)
        {
            case ShadowDropReason.QueueFull:
                Interlocked.Increment(ref _droppedQueueFull);
                break;
            case ShadowDropReason.Paused:
                Interlocked.Increment(ref _droppedPaused);
                break;
            case ShadowDropReason.WorkerError:
                Interlocked.Increment(ref _droppedWorkerError);
                break;
            case ShadowDropReason.Stopped:
                Interlocked.Increment(ref _droppedStopped);
                break;
            case ShadowDropReason.SinkRefused:
                Interlocked.Increment(ref _droppedSinkRefused);
                break;
            default:
                Interlocked.Increment(ref _droppedTooLarge);
                break;
        }

        if (_shadowDropped.Enabled)
        {
            _shadowDropped.Add(1, new KeyValuePair<string, object?>("reason", reason));
        }

        if (_logger is not null && _dropLogged.TryAdd(reason, 0))
        {
            Log.FirstDrop(_logger, reason, ShadowDropReason.Describe(reason));
        }
    }

    public void ShadowCompared(Verdict verdict, TimeSpan candidateDuration)
    {
        Interlocked.Increment(ref _comparedTotal);
        if (_shadowVerdicts.Enabled)
        {
            _shadowVerdicts.Add(1, new KeyValuePair<string, object?>("verdict", VerdictName(verdict)));
        }

        _shadowDuration.Record(candidateDuration.TotalSeconds);
    }

    /// <summary>Noise-floor comparisons since start (the primary asked twice).</summary>
    public long NoiseComparedCount => Interlocked.Read(ref _noiseCompared);

    /// <summary>Counts a noise-floor comparison.</summary>
    public void NoiseCompared(Verdict verdict)
    {
        Interlocked.Increment(ref _noiseCompared);
        if (_noiseVerdicts.Enabled)
        {
            _noiseVerdicts.Add(1, new KeyValuePair<string, object?>("verdict", VerdictName(verdict)));
        }
    }

    internal static string ArmName(TrafficArm arm) => TrafficArmNames.Of(arm);

    /// <summary>The <c>outcome</c> tag: <c>success</c>, or the error class's one name (<see cref="ErrorClassNames"/>).</summary>
    /// <summary>The writer's drops as one measurement per reason (tag <c>reason</c>).</summary>
    internal static Measurement<long>[] RecorderDrops(RecordSinkDrops drops) =>
    [
        new(drops.BufferFull, new KeyValuePair<string, object?>("reason", "buffer_full")),
        new(drops.Rejected, new KeyValuePair<string, object?>("reason", "rejected")),
        new(drops.SchemaMissing, new KeyValuePair<string, object?>("reason", "schema_missing")),
        new(drops.Stopped, new KeyValuePair<string, object?>("reason", "stopped")),
    ];

    internal static string OutcomeName(ErrorClass error) => error == ErrorClass.None ? "success" : ErrorClassNames.Of(error);

    internal static string VerdictName(Verdict verdict) => VerdictNames.Of(verdict);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1501, EventName = "ShadowDropped", Level = LogLevel.Warning,
            Message = "Sampled exchanges are not mirrored: {Reason} ({Meaning}). Further drops for this reason are counted (migration.shadow.dropped, /migration/status shadow.dropped), not logged.")]
        public static partial void FirstDrop(ILogger logger, string reason, string meaning);
    }
}
