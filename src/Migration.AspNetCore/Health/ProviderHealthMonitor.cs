using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Migration.AspNetCore.Configuration;
using Migration.Core.Exchange;
using Migration.Core.Health;

namespace Migration.AspNetCore.Health;

/// <summary>
/// The two providers' health trackers and the failover route. It is the harness's <see cref="IFailoverState"/>
/// (read from memory on every request) and <see cref="IProviderHealthReporter"/> (outcomes of live provider calls,
/// from the exchange pipeline: never the app's own response; 429 and client errors are not held against a provider). Every signal re-runs <see cref="FailoverPolicy"/>; every provider status change and
/// every switch is handed to <see cref="FailoverEventPublisher"/> through one bounded queue, never awaited (when it
/// is full the oldest entry is dropped and counted). A change into or out of Unhealthy (or Unknown) is queued at
/// once; a Healthy/Degraded change at most once per <see cref="StatusEventMinInterval"/> per provider (one failed
/// live request is enough for Degraded), and a deferred one is queued by a later evaluation if it still holds.
/// </summary>
internal sealed partial class ProviderHealthMonitor : IFailoverState, IProviderHealthReporter
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly FailoverPolicy _policy;
    private readonly HealthMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Channel<HealthChange> _events;

    private static readonly TimeSpan LiveEvaluationInterval = TimeSpan.FromSeconds(1);

    private FailoverState _state = FailoverState.Initial;
    private long _lastLiveEvaluation = long.MinValue / 2;
    private volatile bool _routeToCandidate;
    private string _lastReason = "no signal yet";
    private string? _lastSwitchReason;
    private readonly ProviderStatus[] _queuedStatus = [ProviderStatus.Unknown, ProviderStatus.Unknown];
    private readonly DateTimeOffset[] _queuedAt = [DateTimeOffset.MinValue, DateTimeOffset.MinValue];
    private long _droppedEvents;

    /// <summary>How many health changes the queue to the event publisher holds at most.</summary>
    internal const int EventQueueCapacity = 256;

    /// <summary>The shortest time between two recorded Healthy/Degraded changes of one provider (<see cref="HealthOptions.StatusEventMinInterval"/>).</summary>
    internal TimeSpan StatusEventMinInterval { get; }

    public ProviderHealthMonitor(
        IOptions<HealthOptions> options,
        IOptions<MigrationHarnessOptions> harness,
        TimeProvider time,
        HealthMetrics metrics,
        ILogger<ProviderHealthMonitor>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(harness);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(metrics);
        var health = options.Value;
        var now = time.GetUtcNow();
        _time = time;
        _metrics = metrics;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _policy = new FailoverPolicy(health.ToPolicyOptions());
        Instance = harness.Value.InstanceName;
        StatusEventMinInterval = health.StatusEventMinInterval;
        _events = Channel.CreateBounded<HealthChange>(
            new BoundedChannelOptions(EventQueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            OnEventDropped);
        Primary = new ProviderHealthTracker(harness.Value.Primary.Name, health.ToTrackerOptions(), now);
        Candidate = new ProviderHealthTracker(harness.Value.Candidate.Name, health.ToTrackerOptions(), now);
        metrics.Attach(this);
    }

    /// <summary>The primary's tracker.</summary>
    public ProviderHealthTracker Primary { get; }

    /// <summary>The candidate's tracker.</summary>
    public ProviderHealthTracker Candidate { get; }

    /// <inheritdoc />
    public bool RouteToCandidate => _routeToCandidate;

    /// <inheritdoc />
    public bool CandidateCanRescue => _policy.Options.Enabled && Candidate.Status is ProviderStatus.Healthy or ProviderStatus.Degraded;

    /// <summary>The failover route and when it last changed.</summary>
    public FailoverState State
    {
        get
        {
            lock (_lock)
            {
                return _state;
            }
        }
    }

    /// <summary>The reason of the last evaluation (why traffic is where it is).</summary>
    public string LastReason
    {
        get
        {
            lock (_lock)
            {
                return _lastReason;
            }
        }
    }

    /// <summary>Whether failover is enabled.</summary>
    public bool FailoverEnabled => _policy.Options.Enabled;

    /// <summary>The failover cooldown.</summary>
    public TimeSpan Cooldown => _policy.Options.Cooldown;

    /// <summary>The harness instance name (recorded with every health event).</summary>
    public string Instance { get; }

    /// <summary>Status changes and switches waiting to be recorded (switches also alerted), in the order they happened.</summary>
    internal ChannelReader<HealthChange> Events => _events.Reader;

    /// <summary>Health changes dropped because the queue to the publisher was full.</summary>
    public long DroppedEvents => Interlocked.Read(ref _droppedEvents);

    /// <summary>The tracker of <paramref name="role"/>.</summary>
    public ProviderHealthTracker Tracker(ProviderRole role) => role == ProviderRole.Primary ? Primary : Candidate;

    /// <inheritdoc />
    public void Report(ProviderRole provider, ErrorClass outcome, TimeSpan latency)
    {
        // A client error is the request's fault, a rate limit is not an outage, a fallback is not a call.
        if (outcome is ErrorClass.ClientError or ErrorClass.RateLimited or ErrorClass.Fallback)
        {
            return;
        }

        try
        {
            var tracker = Tracker(provider);
            var now = _time.GetUtcNow();
            var before = tracker.Status;
            var after = tracker.RecordLive(
                outcome == ErrorClass.None, latency, now, outcome == ErrorClass.None ? null : "live call: " + HealthNames.Outcome(outcome));

            // Live traffic reports on every request: only a status change (or, as a safety net for time-based rules
            // such as the failback cooldown, one signal per second) re-runs the policy under the monitor's lock.
            var ticks = now.UtcTicks;
            var last = Interlocked.Read(ref _lastLiveEvaluation);
            if (before != after || ticks - last >= LiveEvaluationInterval.Ticks)
            {
                Interlocked.Exchange(ref _lastLiveEvaluation, ticks);
                Evaluate();
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A health fault must never turn a production request into an error.
            Log.ReportFailed(_logger, ex);
        }
    }

    /// <summary>Records a probe result for <paramref name="role"/> and re-evaluates the route.</summary>
    public void RecordProbe(ProviderRole role, bool success, TimeSpan latency, string? error)
    {
        var tracker = Tracker(role);
        var now = _time.GetUtcNow();
        if (success)
        {
            tracker.RecordSuccess(latency, now);
        }
        else
        {
            tracker.RecordFailure(now, error);
        }

        Evaluate();
    }

    /// <summary>Runs the policy on the current health; applies and publishes a switch.</summary>
    public FailoverDecision Evaluate()
    {
        FailoverDecision decision;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            decision = _policy.Evaluate(_state, Primary.Snapshot(now), Candidate.Snapshot(now), now);
            _lastReason = decision.Reason;

            // Status changes first (they are what caused a switch), compared with what was last queued, so
            // concurrent signals that both saw the same change queue it once.
            MaybeQueueStatusChange(ProviderRole.Primary, decision, now);
            MaybeQueueStatusChange(ProviderRole.Candidate, decision, now);

            if (!decision.Switched)
            {
                return decision;
            }

            _state = decision.Next;
            _routeToCandidate = decision.Next.RouteToCandidate;
            _lastSwitchReason = decision.Reason;
            _events.Writer.TryWrite(new FailoverSwitch(now, decision.Next.RouteToCandidate, decision.Reason, decision.Primary, decision.Candidate));
        }

        _metrics.Switched(decision.Next.RouteToCandidate);
        if (decision.Next.RouteToCandidate)
        {
            Log.FailedOver(_logger, decision.Reason);
        }
        else
        {
            Log.FailedBack(_logger, decision.Reason);
        }

        return decision;
    }

    /// <summary>Both providers' health now.</summary>
    public (ProviderHealthSnapshot Primary, ProviderHealthSnapshot Candidate) Snapshots()
    {
        var now = _time.GetUtcNow();
        return (Primary.Snapshot(now), Candidate.Snapshot(now));
    }

    /// <summary>
    /// The reason of a status change, e.g. <c>candidate (holysheep): healthy -> unhealthy after 3 consecutive
    /// failures: HTTP 503</c>.
    /// </summary>
    internal static string DescribeChange(ProviderRole role, ProviderStatus from, ProviderHealthSnapshot s, ProviderHealthOptions options)
    {
        var inv = CultureInfo.InvariantCulture;
        var head = $"{HealthNames.Role(role)} ({s.Name}): {HealthNames.Status(from)} -> {HealthNames.Status(s.Status)}";
        var rate = s.SuccessRate is { } r ? string.Create(inv, $"success rate {r * 100:0.#} % over {s.Samples} samples") : null;
        var error = s.LastError is { Length: > 0 } e ? ": " + e : string.Empty;
        var why = s.Status switch
        {
            ProviderStatus.Unhealthy when s.ConsecutiveFailures >= options.FailureThreshold =>
                string.Create(inv, $" after {s.ConsecutiveFailures} consecutive failures{error}"),
            ProviderStatus.Unhealthy => $" ({rate}){error}",
            ProviderStatus.Degraded when s.ConsecutiveFailures > 0 =>
                (s.ConsecutiveFailures == 1 ? " after a failure" : string.Create(inv, $" after {s.ConsecutiveFailures} consecutive failures")) + error,
            ProviderStatus.Degraded when s.SuccessRate is { } dr && dr < options.DegradedSuccessRate => $" ({rate})",
            ProviderStatus.Degraded when s.AverageLatency is { } l => string.Create(inv, $" (average latency {l.TotalMilliseconds:0} ms)"),
            ProviderStatus.Healthy when from == ProviderStatus.Unknown => " on its first successful call",
            ProviderStatus.Healthy => string.Create(inv, $" after {s.ConsecutiveSuccesses} consecutive successes"),
            _ => string.Empty,
        };
        return head + why;
    }

    // Caller holds _lock.
    private void MaybeQueueStatusChange(ProviderRole role, FailoverDecision decision, DateTimeOffset now)
    {
        var i = role == ProviderRole.Primary ? 0 : 1;
        var from = _queuedStatus[i];
        var snapshot = role == ProviderRole.Primary ? decision.Primary : decision.Candidate;
        var to = snapshot.Status;
        if (to == from)
        {
            return;
        }

        var urgent = from is ProviderStatus.Unhealthy or ProviderStatus.Unknown || to is ProviderStatus.Unhealthy or ProviderStatus.Unknown;
        if (!urgent && now - _queuedAt[i] < StatusEventMinInterval)
        {
            return;
        }

        _queuedStatus[i] = to;
        _queuedAt[i] = now;
        var reason = DescribeChange(role, from, snapshot, Tracker(role).Options);
        _events.Writer.TryWrite(new ProviderStatusChange(now, role, from, to, reason, decision.Primary, decision.Candidate, _state, _lastSwitchReason));
    }

    private void OnEventDropped(HealthChange dropped)
    {
        Interlocked.Increment(ref _droppedEvents);
        Log.EventDropped(_logger, dropped.GetType().Name, dropped.Reason);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1801, EventName = "FailedOver", Level = LogLevel.Warning, Message = "Primary-arm traffic moved to the candidate: {Reason}")]
        public static partial void FailedOver(ILogger logger, string reason);

        [LoggerMessage(EventId = 1802, EventName = "FailedBack", Level = LogLevel.Warning, Message = "Primary-arm traffic moved back to the primary: {Reason}")]
        public static partial void FailedBack(ILogger logger, string reason);

        [LoggerMessage(EventId = 1803, EventName = "HealthReportFailed", Level = LogLevel.Error, Message = "Recording a live provider outcome failed")]
        public static partial void ReportFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 1807, EventName = "HealthEventDropped", Level = LogLevel.Warning,
            Message = "The health event queue is full: dropped the oldest {Kind} ({Reason}); it will not be recorded")]
        public static partial void EventDropped(ILogger logger, string kind, string reason);
    }
}
