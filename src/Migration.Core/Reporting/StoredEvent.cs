namespace Migration.Core.Reporting;

/// <summary>
/// One <c>canary_events</c> row as stored, with its metrics JSON unparsed: what
/// <see cref="Storage.ICanaryStateStore.GetActorEventsAsync"/> returns for readers whose metrics are not
/// <see cref="Canary.CanaryMetrics"/> (health events: <see cref="HealthEventMetrics"/>).
/// </summary>
/// <param name="Id">The event id (grows with insertion order).</param>
/// <param name="Time">When it was recorded.</param>
/// <param name="Actor">Who recorded it (<c>health</c>, <c>controller</c>, <c>cli:alice</c>...).</param>
/// <param name="Reason">The event's reason text.</param>
/// <param name="MetricsJson">The stored metrics (a JSON object); null when none.</param>
public sealed record StoredEvent(long Id, DateTimeOffset Time, string Actor, string Reason, string? MetricsJson);
