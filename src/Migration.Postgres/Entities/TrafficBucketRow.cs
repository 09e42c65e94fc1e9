namespace Migration.Postgres.Entities;

/// <summary>One row of <c>traffic_buckets</c>: one second x instance x arm x model. Histograms are <c>LatencyHistogram.ToBytes()</c>.</summary>
public sealed class TrafficBucketRow
{
    public long Id { get; set; }
    public DateTimeOffset Second { get; set; }
    public string Instance { get; set; } = "";
    public string Arm { get; set; } = "";
    public string Model { get; set; } = "";
    public long Requests { get; set; }
    public long Successes { get; set; }
    public long ErrorsTimeout { get; set; }
    public long ErrorsRateLimited { get; set; }
    public long ErrorsServer { get; set; }
    public long ErrorsClient { get; set; }
    public long ErrorsConnection { get; set; }
    public long Fallbacks { get; set; }
    public long ErrorsOther { get; set; }
    public long ShadowSampled { get; set; }
    public long ShadowDropped { get; set; }
    public byte[] LatencyHist { get; set; } = [];
    public byte[] TtftHist { get; set; } = [];
}
