namespace Migration.Core.Reporting;

/// <summary>
/// The <c>providers</c> section of the report: provider health and failover as last RECORDED in the health events
/// (<c>canary_events</c> rows with actor <see cref="HealthEventMetrics.Actor"/>, written by <c>AddMigrationHealth</c>
/// on every provider status change and automatic switch). It is read from the database, so the report endpoint and
/// <c>migrationctl report</c> show the same; the LIVE state of a running instance is on <c>GET /migration/status</c>
/// and <c>GET /migration/health</c>.
/// </summary>
/// <param name="AsOf">Time of the newest health event; null when none was recorded.</param>
/// <param name="Source">Where the section comes from.</param>
/// <param name="Note">Why the section is empty, when it is; null otherwise.</param>
/// <param name="Instance">The harness instance that recorded the newest event; null when unknown.</param>
/// <param name="Providers">Primary then candidate, each from the newest event carrying its numbers; empty without events.</param>
/// <param name="Failover">The last recorded route; null without events.</param>
/// <param name="Switches">Automatic switches (failovers and failbacks) recorded inside the report's window (<see cref="ReportFilter.Since"/>).</param>
/// <param name="StatusChanges">Provider status changes recorded inside the report's window.</param>
/// <param name="Truncated">True when the window held more events than were read: the counts are lower bounds.</param>
public sealed record ProvidersReport(
    DateTimeOffset? AsOf,
    string Source,
    string? Note,
    string? Instance,
    IReadOnlyList<ProviderHealthReport> Providers,
    FailoverReport? Failover,
    int Switches,
    int StatusChanges,
    bool Truncated)
{
    /// <summary>The <see cref="Source"/> text.</summary>
    public const string RecordedSource = "recorded health events (actor health); live state: GET /migration/status";

    /// <summary>The <see cref="Note"/> when no health event was recorded.</summary>
    public const string NoEventsNote = "no health events recorded (AddMigrationHealth not enabled or no status change yet)";

    /// <summary>
    /// The section for <paramref name="events"/> (health events, newest first; they may reach back before
    /// <paramref name="since"/>: those count for the last recorded state, not for the window's counts).
    /// </summary>
    /// <param name="events">Health events, newest first.</param>
    /// <param name="since">Start of the report's window; null for all time.</param>
    /// <param name="truncated">Whether more events of the window exist than <paramref name="events"/> holds.</param>
    public static ProvidersReport From(IReadOnlyList<StoredEvent> events, DateTimeOffset? since, bool truncated = false)
    {
        ArgumentNullException.ThrowIfNull(events);
        var parsed = events
            .Select(e => (Event: e, Metrics: HealthEventMetrics.Parse(e.MetricsJson)))
            .Where(x => x.Metrics is not null)
            .Select(x => (x.Event, Metrics: x.Metrics!))
            .ToList();
        if (parsed.Count == 0)
        {
            return new ProvidersReport(null, RecordedSource, NoEventsNote, null, [], null, 0, 0, truncated);
        }

        var providers = new List<ProviderHealthReport>(2);
        foreach (var role in new[] { "primary", "candidate" })
        {
            foreach (var (e, m) in parsed)
            {
                if ((role == "primary" ? m.Primary : m.Candidate) is { } p)
                {
                    providers.Add(new ProviderHealthReport(
                        role, p.Name ?? role, p.Status ?? "unknown", p.Since, e.Time, p.ConsecutiveFailures, p.SuccessRate, p.AverageLatencyMs, p.LastError));
                    break;
                }
            }
        }

        var inWindow = parsed.Where(x => since is null || x.Event.Time >= since.Value).ToList();
        var newest = parsed[0];
        return new ProvidersReport(
            newest.Event.Time,
            RecordedSource,
            null,
            newest.Metrics.Instance,
            providers,
            LastRoute(parsed),
            inWindow.Count(x => x.Metrics.IsSwitch),
            inWindow.Count(x => x.Metrics.IsStatusChange),
            truncated);
    }

    // The newest event that knows the route: a switch says it directly, a status change carries the route of its time.
    private static FailoverReport? LastRoute(List<(StoredEvent Event, HealthEventMetrics Metrics)> parsed)
    {
        foreach (var (e, m) in parsed)
        {
            if (m.IsSwitch)
            {
                return new FailoverReport(m.Direction == HealthEventMetrics.ToCandidate || m.Kind == HealthEventMetrics.FailoverKind, e.Time, e.Reason);
            }

            if (m.FailoverActive is { } active)
            {
                return new FailoverReport(active, m.FailoverSince, m.FailoverReason);
            }
        }

        return null;
    }
}
