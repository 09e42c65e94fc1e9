namespace Migration.Postgres.Entities;

/// <summary>One row of <c>canary_events</c>: an audit record of a canary transition (kept by retention).</summary>
public sealed class CanaryEventRow
{
    public long Id { get; set; }
    public string Migration { get; set; } = CanaryStateRow.DefaultMigration;
    public DateTimeOffset Time { get; set; }
    public string FromState { get; set; } = "";
    public string ToState { get; set; } = "";
    public double FromWeight { get; set; }
    public double ToWeight { get; set; }
    public string Actor { get; set; } = "";
    public string Reason { get; set; } = "";
    public string? Metrics { get; set; }
}
