using Microsoft.Extensions.DependencyInjection;
using Migration.AspNetCore.Telemetry;
using Migration.IntegrationTests.Stack;
using Migration.Simulator;

namespace Migration.IntegrationTests.Shadow;

/// <summary>
/// A host shutdown with shadow work queued: the queue drains into PostgreSQL before the writer stops (within
/// <c>Shadow:DrainTimeout</c>), and what cannot drain in time is dropped and counted (reason <c>stopped</c>), so
/// sampled = rows + dropped holds in storage after the stop.
/// </summary>
public sealed class ShutdownDrainTests
{
    private const int Production = 8;
    private const string Sampled = "SELECT coalesce(sum(shadow_sampled), 0) FROM traffic_buckets";
    private const string Dropped = "SELECT coalesce(sum(shadow_dropped), 0) FROM traffic_buckets";

    [Fact]
    public async Task Stop_WithQueuedShadowWork_EveryQueuedExchangeIsARowAfterStop()
    {
        await using var stack = await StartSlowCandidateAsync(drainTimeout: "00:00:20");

        await ProductionTraffic.SendConcurrentAsync(stack, Production, concurrency: Production);
        var before = await stack.GetStatusAsync();
        Assert.True(before.GetProperty("shadow").GetProperty("queueDepth").GetInt32() > 0, "The slow candidate must leave work queued at stop: " + before.GetRawText());
        Assert.Equal(0, await stack.CountShadowRowsAsync("true"));

        await stack.StopAppAsync();

        // Read after the stop: nothing runs any more that could still write.
        Assert.Equal(Production, await stack.CountShadowRowsAsync());
        Assert.Equal(Production, await stack.ScalarAsync<long>(Sampled));
        Assert.Equal(0, await stack.ScalarAsync<long>(Dropped));
        var counts = stack.Services.GetRequiredService<HarnessMetrics>().Counts;
        Assert.Equal(0, counts.DroppedStopped);
        Assert.Equal(Production, counts.Compared);
    }

    [Fact]
    public async Task Stop_DrainTimeoutShorterThanTheWork_RemainderCountedAsStoppedInStorageAndCounters()
    {
        await using var stack = await StartSlowCandidateAsync(drainTimeout: "00:00:00.300");

        await ProductionTraffic.SendConcurrentAsync(stack, Production, concurrency: Production);
        await stack.StopAppAsync();

        var rows = await stack.CountShadowRowsAsync();
        var dropped = await stack.ScalarAsync<long>(Dropped);
        var counts = stack.Services.GetRequiredService<HarnessMetrics>().Counts;
        Assert.True(counts.DroppedStopped > 0, $"A 300 ms drain cannot mirror {Production} exchanges behind a 400 ms candidate with one worker.");
        Assert.True(rows < Production, $"{rows} rows");
        Assert.Equal(Production, await stack.ScalarAsync<long>(Sampled));
        Assert.Equal(Production, rows + dropped);
        Assert.Equal(dropped, counts.DroppedTotal);
        Assert.Equal(counts.DroppedStopped, counts.DroppedTotal);
        Assert.Equal(rows, counts.Compared);
    }

    private static Task<MigrationStack> StartSlowCandidateAsync(string drainTimeout)
    {
        var candidate = MigrationStackOptions.DefaultCandidate();
        candidate.Faults = new FaultSettings { ExtraLatencyMs = 400 };
        return MigrationStack.StartAsync(new MigrationStackOptions
        {
            Candidate = candidate,
            Settings =
            {
                ["Migration:Shadow:Workers"] = "1",
                ["Migration:Shadow:DrainTimeout"] = drainTimeout,
            },
        });
    }
}
