using Migration.Core.Canary;
using Migration.Core.Storage;

namespace Migration.Core.Reporting;

/// <summary>Builds the <see cref="TimeSeries"/>: the storage's traffic series plus the canary weight and events of the window.</summary>
public sealed class TimeSeriesBuilder
{
    /// <summary>At most this many canary events are listed per series.</summary>
    public const int MaxEvents = 1000;

    private readonly IReportQueries _queries;
    private readonly ICanaryStateStore? _canary;
    private readonly string _migration;

    /// <summary>Creates a builder; without a canary store the series has no canary section.</summary>
    public TimeSeriesBuilder(IReportQueries queries, ICanaryStateStore? canary, string migration)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentException.ThrowIfNullOrWhiteSpace(migration);
        _queries = queries;
        _canary = canary;
        _migration = migration;
    }

    /// <summary>Queries the storage and builds the series.</summary>
    public async Task<TimeSeries> BuildAsync(TimeSeriesQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var traffic = await _queries.GetTrafficSeriesAsync(query, cancellationToken).ConfigureAwait(false);
        CanarySeries? canary = null;
        if (_canary is not null)
        {
            var state = await _canary.GetAsync(_migration, cancellationToken).ConfigureAwait(false);
            var events = await _canary.GetEventsBetweenAsync(_migration, query.From, query.Until, MaxEvents + 1, cancellationToken).ConfigureAwait(false);
            canary = Canary(query, state, events);
        }

        return new TimeSeries(query.From, query.Until, query.StepSeconds, query.Model, traffic.Time, traffic.Arms, traffic.Totals, canary);
    }

    /// <summary>
    /// The weight per slot from the events of the window (oldest first): the weight changes only through events, so
    /// before the first one it is that event's from-weight, and without any it is the current weight throughout.
    /// </summary>
    public static CanarySeries Canary(TimeSeriesQuery query, CanaryStoreState state, IReadOnlyList<CanaryEventRecord> events)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(events);
        var truncated = events.Count > MaxEvents;
        var listed = truncated ? events.Take(MaxEvents).ToList() : events;
        var weights = new double[query.Points];
        var weight = listed.Count > 0 ? listed[0].FromWeight : state.State.Weight;
        var next = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            var end = query.SlotStart(i + 1);
            while (next < listed.Count && listed[next].Time < end)
            {
                weight = listed[next++].ToWeight;
            }

            weights[i] = weight;
        }

        var markers = listed.Select(e => new TimeSeriesEvent(
            e.Id, e.Time, KindOf(e), e.FromState, e.ToState, e.FromWeight, e.ToWeight, e.Actor, e.Reason, e.Metrics)).ToList();
        return new CanarySeries(state.State.Phase.ToName(), weights, markers, truncated);
    }

    /// <summary>What an event did, for chart markers: start, advance, pause, resume, rollback, promote, set_weight, failover, change.</summary>
    public static string KindOf(CanaryEventRecord e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e switch
        {
            { Actor: HealthEventMetrics.Actor } => "failover",
            { ToState: CanaryPhaseNames.RolledBack } => "rollback",
            { ToState: CanaryPhaseNames.Promoted } => "promote",
            { ToState: CanaryPhaseNames.Paused } => "pause",
            { FromState: CanaryPhaseNames.Paused, ToState: CanaryPhaseNames.Ramping } => "resume",
            { FromState: not CanaryPhaseNames.Ramping, ToState: CanaryPhaseNames.Ramping } => "start",
            // The controller's own step up (actor "controller", as CanaryController writes it); a weight set by hand is set_weight.
            { FromState: CanaryPhaseNames.Ramping, ToState: CanaryPhaseNames.Ramping, Actor: "controller" } when e.ToWeight > e.FromWeight => "advance",
            _ when e.ToWeight != e.FromWeight => "set_weight",
            _ => "change",
        };
    }
}
