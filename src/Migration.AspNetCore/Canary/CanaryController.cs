using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Migration.AspNetCore.Configuration;
using Migration.Core.Canary;
using Migration.Core.Exchange;
using Migration.Core.Storage;

namespace Migration.AspNetCore.Canary;

/// <summary>
/// The canary controller. Every instance runs one; exactly one leads, through the store's leader lease (an advisory
/// lock on a dedicated connection): followers keep trying to acquire on every tick. Every
/// <see cref="CanaryOptions.Interval"/> (on the injected clock) the leader proves its lease (heartbeat, visible in
/// status), merges the traffic buckets of all instances for the canary and primary arms over the policy window,
/// runs <see cref="CanaryPolicy.Evaluate"/> and stores the outcome (a change as an event with actor
/// <c>controller</c>, its reason and numbers, plus NOTIFY). Rollbacks and promotions are posted as alerts without
/// waiting for the webhook. All state lives in the database, so a restarted controller resumes where it was.
/// </summary>
internal sealed partial class CanaryController : BackgroundService
{
    /// <summary>The actor of the controller's events.</summary>
    public const string Actor = "controller";

    private readonly ICanaryStateStore? _store;
    private readonly ILeaderLeaseFactory? _leases;
    private readonly CanaryStateCache _cache;
    private readonly CanaryAlertSender _alerts;
    private readonly TimeProvider _time;
    private readonly ILogger<CanaryController> _logger;
    private readonly CanaryPolicy _policy;
    private readonly string _migration;
    private readonly string _instance;
    private readonly string _candidateName;
    private readonly TimeSpan _interval;
    private readonly bool _enabled;
    private volatile ControllerStatus _status = ControllerStatus.Stopped;

    public CanaryController(
        IOptions<MigrationHarnessOptions> options,
        CanaryStateCache cache,
        CanaryAlertSender alerts,
        TimeProvider time,
        ILogger<CanaryController> logger,
        ICanaryStateStore? store = null,
        ILeaderLeaseFactory? leases = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        var value = options.Value;
        _store = store;
        _leases = leases;
        _cache = cache;
        _alerts = alerts;
        _time = time;
        _logger = logger;
        _policy = new CanaryPolicy(value.Canary.ToPolicyOptions());
        _migration = value.Canary.Migration;
        _instance = value.InstanceName;
        _candidateName = value.Candidate.Name;
        _interval = value.Canary.Interval;
        _enabled = value.Canary.ControllerEnabled && store is not null && leases is not null;
    }

    /// <summary>The policy the controller (and the admin API) applies.</summary>
    public CanaryPolicy Policy => _policy;

    /// <summary>What this instance's controller is doing now.</summary>
    public ControllerStatus Status => _status;

    /// <summary>Whether this instance leads.</summary>
    public bool IsLeader => _status.IsLeader;

    /// <summary>Evaluations run by this instance (as leader).</summary>
    public long Evaluations => Interlocked.Read(ref _evaluations);

    private long _evaluations;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_enabled)
        {
            _status = ControllerStatus.Stopped with { Note = _store is null ? "no canary store registered" : "disabled by Canary:ControllerEnabled" };
            return;
        }

        var lease = _leases!.Create(_migration, _instance);
        _status = new ControllerStatus(true, false, null, null, "following");
        try
        {
            using var timer = new PeriodicTimer(_interval, _time);
            do
            {
                await TickAsync(lease, stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            try
            {
                if (lease.IsHeld)
                {
                    using var release = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await lease.ReleaseAsync(release.Token).ConfigureAwait(false);
                    Log.SteppedDown(_logger, _migration, _instance);
                }
            }
            catch (Exception ex)
            {
                Log.ReleaseFailed(_logger, ex);
            }
            finally
            {
                await lease.DisposeAsync().ConfigureAwait(false);
                _status = ControllerStatus.Stopped;
            }
        }
    }

    /// <summary>One controller round: keep or take the lease, then (as leader) evaluate once.</summary>
    internal async Task TickAsync(ILeaderLease lease, CancellationToken cancellationToken)
    {
        try
        {
            if (!lease.IsHeld)
            {
                if (!await lease.TryAcquireAsync(cancellationToken).ConfigureAwait(false))
                {
                    _status = _status with { IsLeader = false, Note = "following" };
                    return;
                }

                Log.BecameLeader(_logger, _migration, _instance);
            }

            if (!await lease.HeartbeatAsync(cancellationToken).ConfigureAwait(false))
            {
                Log.LostLeadership(_logger, _migration, _instance);
                _status = _status with { IsLeader = false, Note = "lost the lease" };
                return;
            }

            _status = _status with { IsLeader = true, HeartbeatAt = _time.GetUtcNow(), Note = "leading" };
            await EvaluateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // A database hiccup: try again next interval. The routing weight stays as it is meanwhile.
            Log.TickFailed(_logger, _migration, ex);
        }
    }

    /// <summary>Reads the window, decides and stores the outcome. Returns the stored outcome, or null when idle.</summary>
    internal async Task<CanaryCommandOutcome?> EvaluateAsync(CancellationToken cancellationToken)
    {
        var store = _store!;
        var now = _time.GetUtcNow();
        var current = await store.GetAsync(_migration, cancellationToken).ConfigureAwait(false);
        _cache.Update(current, now);
        if (current.State.Phase is not (CanaryPhase.Ramping or CanaryPhase.Paused))
        {
            return null;
        }

        var from = _policy.GetWindowStart(current.State, now);
        var buckets = await store.GetBucketsAsync(from, now, cancellationToken).ConfigureAwait(false);
        var canary = WindowStats.FromBuckets(buckets, TrafficArm.Canary, from, now);
        var primary = WindowStats.FromBuckets(buckets, TrafficArm.Primary, from, now);
        var version = current.State.Version;
        var outcome = await store.ApplyAsync(
            _migration,
            state => state.Version == version
                ? _policy.Evaluate(state, canary, primary, now)
                : new CanaryDecision { Previous = state, Next = state, Kind = CanaryDecisionKind.Hold, Reason = "the state changed during the evaluation" },
            Actor,
            cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _evaluations);
        _status = _status with { LastDecision = outcome.Decision.Kind.ToString(), LastReason = outcome.Decision.Reason };

        if (outcome.Changed)
        {
            _cache.Update(outcome.State, _time.GetUtcNow());
            var next = outcome.State.State;
            Log.Decided(_logger, _migration, outcome.Decision.Kind.ToString(), current.State.Weight, next.Weight, outcome.Decision.Reason);
            if (outcome.Decision.Kind is CanaryDecisionKind.Rollback or CanaryDecisionKind.Promote)
            {
                _alerts.TryPost(AlertText(outcome.Decision));
            }
        }

        return outcome;
    }

    private string AlertText(CanaryDecision decision) => decision.Kind == CanaryDecisionKind.Rollback
        ? string.Create(CultureInfo.InvariantCulture, $":rotating_light: Canary '{_migration}' to {_candidateName} ROLLED BACK automatically from {decision.Previous.Weight:0.##}% to 0% by {_instance}: {decision.Reason}")
        : string.Create(CultureInfo.InvariantCulture, $":white_check_mark: Canary '{_migration}' to {_candidateName} PROMOTED to 100% by {_instance}: {decision.Reason}");

    private static partial class Log
    {
        [LoggerMessage(EventId = 1801, EventName = "CanaryLeaderAcquired", Level = LogLevel.Information,
            Message = "Canary '{Migration}': instance {Instance} leads the controller.")]
        public static partial void BecameLeader(ILogger logger, string migration, string instance);

        [LoggerMessage(EventId = 1802, EventName = "CanaryLeaderLost", Level = LogLevel.Warning,
            Message = "Canary '{Migration}': instance {Instance} lost the controller lease.")]
        public static partial void LostLeadership(ILogger logger, string migration, string instance);

        [LoggerMessage(EventId = 1803, EventName = "CanaryLeaderReleased", Level = LogLevel.Information,
            Message = "Canary '{Migration}': instance {Instance} stepped down as controller.")]
        public static partial void SteppedDown(ILogger logger, string migration, string instance);

        [LoggerMessage(EventId = 1804, EventName = "CanaryDecision", Level = LogLevel.Warning,
            Message = "Canary '{Migration}': {Kind} {From}% -> {To}%: {Reason}")]
        public static partial void Decided(ILogger logger, string migration, string kind, double from, double to, string reason);

        [LoggerMessage(EventId = 1805, EventName = "CanaryTickFailed", Level = LogLevel.Warning,
            Message = "Canary '{Migration}': a controller round failed; it is retried next interval.")]
        public static partial void TickFailed(ILogger logger, string migration, Exception exception);

        [LoggerMessage(EventId = 1806, EventName = "CanaryLeaseReleaseFailed", Level = LogLevel.Warning,
            Message = "Releasing the canary controller lease failed (it ends with the connection).")]
        public static partial void ReleaseFailed(ILogger logger, Exception exception);
    }
}

/// <summary>The controller of this instance, as shown by status.</summary>
/// <param name="Running">The controller runs on this instance.</param>
/// <param name="IsLeader">It holds the lease.</param>
/// <param name="HeartbeatAt">Its last successful heartbeat as leader.</param>
/// <param name="LastDecision">Kind of its last evaluation.</param>
/// <param name="Note">Following, leading, disabled...</param>
internal sealed record ControllerStatus(bool Running, bool IsLeader, DateTimeOffset? HeartbeatAt, string? LastDecision, string Note)
{
    public static ControllerStatus Stopped { get; } = new(false, false, null, null, "stopped");

    public string? LastReason { get; init; }
}
