using Migration.IntegrationTests.Stack;
using Migration.Simulator;
using Migration.TestKit;

namespace Migration.IntegrationTests.Shadow;

/// <summary>A full shadow queue drops and counts; it never makes production wait.</summary>
public sealed class ShadowQueueOverflowTests
{
    [Fact]
    public async Task Burst_QueueOfOneAndSlowCandidate_ProductionOkAndMirroredPlusDroppedEqualsSampled()
    {
        const int production = 30;
        var candidate = MigrationStackOptions.DefaultCandidate();
        candidate.Faults = new FaultSettings { ExtraLatencyMs = 200 };
        await using var stack = await MigrationStack.StartAsync(new MigrationStackOptions
        {
            Candidate = candidate,
            Settings =
            {
                ["Migration:Shadow:QueueCapacity"] = "1",
                ["Migration:Shadow:Workers"] = "1",
            },
        });

        await ProductionTraffic.SendConcurrentAsync(stack, production, concurrency: 10);

        const string Sampled = "SELECT coalesce(sum(shadow_sampled), 0) FROM traffic_buckets";
        const string Dropped = "SELECT coalesce(sum(shadow_dropped), 0) FROM traffic_buckets";
        await Eventually.UntilAsync(
            "every sampled exchange to be a row or a counted drop",
            async () => await stack.ScalarAsync<long>(Sampled) == production
                && await stack.CountShadowRowsAsync() + await stack.ScalarAsync<long>(Dropped) == production);
        await stack.WaitForQuietAsync();

        var rows = await stack.CountShadowRowsAsync();
        var dropped = await stack.ScalarAsync<long>(Dropped);
        Assert.True(dropped > 0, "A queue of one behind a 200 ms candidate must drop part of a burst of 30.");
        Assert.Equal(production, rows + dropped);

        var status = await stack.GetStatusAsync();
        var shadow = status.GetProperty("shadow");
        Assert.Equal(dropped, shadow.GetProperty("dropped").GetProperty("queueFull").GetInt64());
        Assert.Equal(dropped, shadow.GetProperty("dropped").GetProperty("total").GetInt64());
        Assert.Equal(0, status.GetProperty("sink").GetProperty("droppedByReason").GetProperty("bufferFull").GetInt64());
        Assert.Equal(rows, shadow.GetProperty("enqueued").GetInt64());
        Assert.Equal(rows, shadow.GetProperty("compared").GetInt64());

        var report = (await stack.GetReportAsync()).GetProperty("shadow");
        Assert.Equal(dropped, report.GetProperty("dropped").GetInt64());
        Assert.Equal(rows, report.GetProperty("total").GetInt64());
        // Health probes (GET /v1/models) also reach the candidate; only mirrored calls count here.
        var candidateStats = stack.Candidate!.Stats.Snapshot();
        Assert.Equal(rows, candidateStats.TotalRequests - candidateStats.Routes["models"]);
    }
}
