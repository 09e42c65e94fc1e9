using Migration.AspNetCore.Canary;
using Migration.Core.Health;

namespace Migration.AspNetCore.Routing;

/// <summary>
/// The one routing decision per request: the candidate when the primary is failed over or the canary flag is on
/// for this request's sticky key, and the candidate's circuit breaker lets it through; the primary otherwise.
/// </summary>
internal sealed class ExchangeRouter
{
    private readonly CanaryStateCache _cache;
    private readonly CanaryAssignment _assignment;
    private readonly CandidateForwarder _forwarder;
    private readonly IFailoverState _failover;

    public ExchangeRouter(CanaryStateCache cache, CanaryAssignment assignment, CandidateForwarder forwarder, IFailoverState failover)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(assignment);
        ArgumentNullException.ThrowIfNull(forwarder);
        ArgumentNullException.ThrowIfNull(failover);
        _cache = cache;
        _assignment = assignment;
        _forwarder = forwarder;
        _failover = failover;
    }

    /// <summary>The arm of a request whose sticky canary key is <paramref name="stickyKey"/> (null: drawn per request).</summary>
    public ValueTask<ExchangeArm> DecideAsync(string? stickyKey, CancellationToken cancellationToken)
    {
        if (_failover.RouteToCandidate)
        {
            return ValueTask.FromResult(_forwarder.IsAvailable ? ExchangeArm.Failover : ExchangeArm.Primary);
        }

        var weight = _cache.Current.Weight;
        if (weight <= 0)
        {
            return ValueTask.FromResult(ExchangeArm.Primary);
        }

        // While the breaker is open the canary's share still counts (as fallbacks): otherwise the breaker would hide
        // the candidate's failures from the controller and the canary could stay at its weight forever.
        var available = _forwarder.IsAvailable;
        var decided = _assignment.IsCanaryAsync(stickyKey, weight, cancellationToken);
        return decided.IsCompletedSuccessfully
            ? ValueTask.FromResult(Arm(decided.Result, available))
            : AwaitAsync(decided, available);

        static ExchangeArm Arm(bool canary, bool available) =>
            !canary ? ExchangeArm.Primary : available ? ExchangeArm.Canary : ExchangeArm.CanaryBlocked;

        static async ValueTask<ExchangeArm> AwaitAsync(ValueTask<bool> pending, bool available) =>
            Arm(await pending.ConfigureAwait(false), available);
    }
}
