using Microsoft.AspNetCore.Http;
using Migration.Core.Health;

namespace Migration.AspNetCore.Canary;

/// <summary>
/// The one routing decision per request: the candidate when the primary is failed over or the canary flag is on
/// for this request, and the candidate's circuit breaker lets it through; the primary otherwise.
/// </summary>
internal sealed class CanaryRouter
{
    private readonly CanaryStateCache _cache;
    private readonly CanaryAssignment _assignment;
    private readonly CandidateForwarder _forwarder;
    private readonly IFailoverState _failover;

    public CanaryRouter(CanaryStateCache cache, CanaryAssignment assignment, CandidateForwarder forwarder, IFailoverState failover)
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

    public ValueTask<CandidateRoute> ChooseAsync(HttpContext context)
    {
        if (_failover.RouteToCandidate)
        {
            return ValueTask.FromResult(_forwarder.IsAvailable ? CandidateRoute.Failover : CandidateRoute.Primary);
        }

        var weight = _cache.Current.Weight;
        if (weight <= 0)
        {
            return ValueTask.FromResult(CandidateRoute.Primary);
        }

        // While the breaker is open the canary's share still counts (as fallbacks): otherwise the breaker would hide
        // the candidate's failures from the controller and the canary could stay at its weight forever.
        var available = _forwarder.IsAvailable;
        var decided = _assignment.IsCanaryAsync(context, weight);
        return decided.IsCompletedSuccessfully
            ? ValueTask.FromResult(Route(decided.Result, available))
            : AwaitAsync(decided, available);

        static CandidateRoute Route(bool canary, bool available) =>
            !canary ? CandidateRoute.Primary : available ? CandidateRoute.Canary : CandidateRoute.CanaryBlocked;

        static async ValueTask<CandidateRoute> AwaitAsync(ValueTask<bool> pending, bool available) =>
            Route(await pending.ConfigureAwait(false), available);
    }
}
