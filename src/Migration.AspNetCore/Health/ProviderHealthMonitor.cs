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
/// (read from memory on every request) and <see cref="IProviderHealthReporter"/> (live outcomes from the
/// middleware and forwarder). Every signal re-runs <see cref="FailoverPolicy"/>; a switch is handed to
/// <see cref="FailoverEventPublisher"/> through a bounded queue, never awaited.
/// </summary>
internal sealed partial class ProviderHealthMonitor : IFailoverState, IProviderHealthReporter
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly FailoverPolicy _policy;
    private readonly HealthMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Channel<FailoverSwitch> _switches = Channel.CreateBounded<FailoverSwitch>(
        new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private static readonly TimeSpan LiveEvaluationInterval = TimeSpan.FromSeconds(1);

    private FailoverState _state = FailoverState.Initial;
    private long _lastLiveEvaluation = long.MinValue / 2;
    private volatile bool _routeToCandidate;
    private string _lastReason = "no signal yet";

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

    /// <summary>Switches waiting to be recorded and alerted.</summary>
    internal ChannelReader<FailoverSwitch> Switches => _switches.Reader;

    /// <summary>The tracker of <paramref name="role"/>.</summary>
    public ProviderHealthTracker Tracker(ProviderRole role) => role == ProviderRole.Primary ? Primary : Candidate;

    /// <inheritdoc />
    public void Report(ProviderRole provider, ErrorClass outcome, TimeSpan latency)
    {
        if (outcome is ErrorClass.ClientError or ErrorClass.Fallback)
        {
            return;
        }

        try
        {
            var tracker = Tracker(provider);
            var now = _time.GetUtcNow();
            var before = tracker.Status;
            var after = outcome == ErrorClass.None
                ? tracker.RecordSuccess(latency, now)
                : tracker.RecordFailure(now, "live call: " + HealthNames.Outcome(outcome));

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
            if (!decision.Switched)
            {
                return decision;
            }

            _state = decision.Next;
            _routeToCandidate = decision.Next.RouteToCandidate;
            _switches.Writer.TryWrite(new FailoverSwitch(now, decision.Next.RouteToCandidate, decision.Reason, decision.Primary, decision.Candidate));
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

    private static partial class Log
    {
        [LoggerMessage(EventId = 1801, EventName = "FailedOver", Level = LogLevel.Warning, Message = "Primary-arm traffic moved to the candidate: {Reason}")]
        public static partial void FailedOver(ILogger logger, string reason);

        [LoggerMessage(EventId = 1802, EventName = "FailedBack", Level = LogLevel.Warning, Message = "Primary-arm traffic moved back to the primary: {Reason}")]
        public static partial void FailedBack(ILogger logger, string reason);

        [LoggerMessage(EventId = 1803, EventName = "HealthReportFailed", Level = LogLevel.Error, Message = "Recording a live provider outcome failed")]
        public static partial void ReportFailed(ILogger logger, Exception exception);
    }
}
