namespace Migration.Core.Reporting;

/// <summary>
/// What <c>GET /migration/timeseries</c> serves: traffic per slot and arm merged over every instance (from
/// <c>traffic_buckets</c>), the canary weight and its events. Column form (one array per series, as chart libraries
/// take them); arms without traffic in the window are left out.
/// </summary>
/// <param name="From">Start of the first slot.</param>
/// <param name="Until">End of the last slot (the last one holds "now" and is partial).</param>
/// <param name="StepSeconds">Slot width.</param>
/// <param name="Time">Slot starts in Unix seconds.</param>
/// <param name="Arms">Series per arm: primary, canary, failover, shadow.</param>
/// <param name="Totals">Sums over all arms.</param>
/// <param name="Canary">The weight and events; null without a canary store.</param>
public sealed record TimeSeries(
    DateTimeOffset From,
    DateTimeOffset Until,
    int StepSeconds,
    string? Model,
    IReadOnlyList<long> Time,
    IReadOnlyDictionary<string, ArmSeries> Arms,
    TimeSeriesTotals Totals,
    CanarySeries? Canary = null);

/// <summary>Sums over all arms and the window (the report's <c>cost.priced.observedRequests</c> and <c>shadow.dropped</c> count the same buckets).</summary>
/// <param name="Buckets">Stored buckets read.</param>
public sealed record TimeSeriesTotals(long Requests, long ShadowSampled, long ShadowDropped, long Buckets);

/// <summary>The traffic part of a <see cref="TimeSeries"/>, as the storage computes it.</summary>
public sealed record TrafficSeries(IReadOnlyList<long> Time, IReadOnlyDictionary<string, ArmSeries> Arms, TimeSeriesTotals Totals);
