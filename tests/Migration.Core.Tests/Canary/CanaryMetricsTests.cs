using System.Text.Json;
using Migration.Core.Canary;
using static Migration.Core.Tests.Canary.CanaryTestData;

namespace Migration.Core.Tests.Canary;

public class CanaryMetricsTests
{
    [Fact]
    public void Serialize_RollbackMetrics_RoundTripsThroughJson()
    {
        // The store keeps the metrics snapshot as jsonb: it must serialize without NaN and come back intact.
        var metrics = Policy().Evaluate(Ramping(), Traffic(400, failures: 100, p99Ms: 9_000), Primary(p99Ms: 1_000), T0.AddMinutes(1)).Metrics!;

        var json = JsonSerializer.Serialize(metrics);
        var back = JsonSerializer.Deserialize<CanaryMetrics>(json)!;

        Assert.Contains("\"Trips\":[\"error_rate\",\"success_rate\",\"p99\",\"error_rate_vs_primary\",\"p99_vs_primary\"]", json, StringComparison.Ordinal);
        Assert.Equal(metrics.CanaryErrorRate, back.CanaryErrorRate);
        Assert.Equal(metrics.ErrorRateZ, back.ErrorRateZ);
        Assert.Equal(metrics.Trips, back.Trips);
    }

    [Fact]
    public void Serialize_MetricsWithoutComparison_WritesNulls()
    {
        var metrics = Policy().Evaluate(Ramping(), Traffic(0), WindowStats.Empty, T0.AddMinutes(1)).Metrics!;

        var json = JsonSerializer.Serialize(metrics);

        Assert.Contains("\"ErrorRateZ\":null", json, StringComparison.Ordinal);
        Assert.Contains("\"P99Ratio\":null", json, StringComparison.Ordinal);
        Assert.Contains("\"CanaryErrorRate\":0", json, StringComparison.Ordinal);
    }
}
