namespace Migration.Core.Reporting;

/// <summary>The canary weight as a step line (the weight in force at the end of each slot) and its events in the window.</summary>
/// <param name="State">The state now.</param>
/// <param name="Weight">One value per slot: percent of live traffic on the candidate at the end of the slot.</param>
/// <param name="Events">The audited changes in the window, oldest first.</param>
/// <param name="Truncated">More events than were read: only the oldest <see cref="TimeSeriesBuilder.MaxEvents"/> are listed.</param>
public sealed record CanarySeries(string State, IReadOnlyList<double> Weight, IReadOnlyList<TimeSeriesEvent> Events, bool Truncated);

/// <summary>One canary event for a chart marker.</summary>
/// <param name="Kind">start, advance, pause, resume, rollback, promote, set_weight, failover or change.</param>
public sealed record TimeSeriesEvent(
    long Id,
    DateTimeOffset Time,
    string Kind,
    string FromState,
    string ToState,
    double FromWeight,
    double ToWeight,
    string Actor,
    string Reason,
    Canary.CanaryMetrics? Metrics);
