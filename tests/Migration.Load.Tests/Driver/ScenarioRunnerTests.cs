using Migration.Load.Driver;
using Migration.Load.Tests.Support;

namespace Migration.Load.Tests.Driver;

/// <summary>
/// The driver's arithmetic (schedule, latency from the intended time, percentiles, caps, timeouts) on a fake clock,
/// so it holds on a busy machine; its real-time accuracy against a simulated provider is the <c>driver</c> load
/// scenario's goal.
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class ScenarioRunnerTests
{
    [Fact]
    public async Task RunAsync_InjectWithRecordedLogNormalLatencies_PercentilesMatchTheRecordedOnes()
    {
        // Recorded latencies of a log-normal provider (median 100 ms, p99 130 ms), whole milliseconds, one per request.
        var sigma = Math.Log(130.0 / 100.0) / 2.3263478740408408;
        var random = new Random(7);
        var recorded = Enumerable.Range(0, 800)
            .Select(_ => Math.Round(100 * Math.Exp(sigma * Normal(random))))
            .ToArray();
        var run = new FakeClockRun();
        var scenario = Scenario.Create("recorded", ctx => run.DelayAsync(TimeSpan.FromMilliseconds(recorded[ctx.InvocationNumber]), ctx.CancellationToken))
            .WithoutWarmUp()
            .WithLoadSimulations(Simulation.Inject(100, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8)));

        var stats = await run.RunAsync(scenario, TimeSpan.FromSeconds(20));

        // Exact up to the clock's 1 ms step (a request may start one step late; its latency still counts from
        // its intended time) and the histogram's 0.4 % precision.
        Assert.Equal(800, stats.Ok);
        Assert.Equal(TimeSpan.FromSeconds(8), stats.Duration);
        var sorted = recorded.Order().ToArray();
        foreach (var p in new[] { 50.0, 90.0, 99.0 })
        {
            var expected = sorted[(int)Math.Ceiling(p / 100 * sorted.Length) - 1];
            Assert.InRange(stats.Latency.PercentileMilliseconds(p), expected * 0.995, (expected + 1) * 1.005);
        }

        Assert.InRange(stats.Latency.MaxMicroseconds / 1000.0, sorted[^1], sorted[^1] + 1);
    }

    [Fact]
    public async Task RunAsync_InjectWithServerStall_LatencyCountsFromTheIntendedTime()
    {
        // 100/s for 5 s; answers take 20 ms, except that nothing is answered between 2 s and 3 s (a stall).
        var run = new FakeClockRun();
        var scenario = Scenario.Create("stall", ctx =>
            {
                var now = run.Now;
                var wait = now >= TimeSpan.FromSeconds(2) && now < TimeSpan.FromSeconds(3) ? TimeSpan.FromSeconds(3) - now : TimeSpan.FromMilliseconds(20);
                return run.DelayAsync(wait, ctx.CancellationToken);
            })
            .WithoutWarmUp()
            .WithLoadSimulations(Simulation.Inject(100, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)));

        var stats = await run.RunAsync(scenario, TimeSpan.FromSeconds(10));

        // The 100 requests due during the stall waited up to 1 s each, measured from when they were due: the
        // 50 due in its first half waited more than 500 ms. A closed loop would have sent none of them.
        Assert.Equal(500, stats.Ok);
        Assert.InRange(stats.Latency.CountAbove(500_000), 49, 51);
        Assert.InRange(stats.Latency.MaxMicroseconds / 1000.0, 999, 1001);
        Assert.InRange(stats.Latency.PercentileMilliseconds(50), 19.9, 21.1);
        // The p99 is the 6th slowest: due at 2.05 s, answered at 3 s.
        Assert.InRange(stats.Latency.PercentileMilliseconds(99), 945, 955);
    }

    [Fact]
    public async Task RunAsync_Inject_SendsConfiguredCountSpreadOverDuration()
    {
        var run = new FakeClockRun();
        var starts = new System.Collections.Concurrent.ConcurrentBag<TimeSpan>();
        var scenario = Scenario.Create("count", ctx =>
            {
                starts.Add(run.Now);
                return run.DelayAsync(TimeSpan.Zero, ctx.CancellationToken);
            })
            .WithoutWarmUp()
            .WithLoadSimulations(
                Simulation.Inject(20, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2)),
                Simulation.Inject(100, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));

        var stats = await run.RunAsync(scenario, TimeSpan.FromSeconds(10));

        Assert.Equal(500, stats.Ok);
        Assert.Equal(TimeSpan.FromSeconds(3), stats.Duration);
        Assert.InRange(stats.Rps, 166, 167);
        Assert.Equal(10 * 500, stats.Bytes);

        // Spread over the phases at their rates, not sent in a burst: request i of the first phase is due at
        // i * 5 ms, of the second at 2 s + i * 10 ms (each started within the clock's 1 ms step).
        var ordered = starts.Order().ToList();
        Assert.InRange(ordered[0].TotalMilliseconds, 0, 1);
        Assert.InRange(ordered[399].TotalMilliseconds, 1995, 1996);
        Assert.InRange(ordered[400].TotalMilliseconds, 2000, 2001);
        Assert.InRange(ordered[^1].TotalMilliseconds, 2990, 2991);
    }

    [Fact]
    public async Task RunAsync_InFlightCapReached_CountsClientOverloaded()
    {
        var run = new FakeClockRun();
        var scenario = Scenario.Create("cap", ctx => run.DelayAsync(TimeSpan.FromSeconds(2), ctx.CancellationToken))
            .WithoutWarmUp()
            .WithMaxInFlight(10)
            .WithLoadSimulations(Simulation.Inject(100, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));

        var stats = await run.RunAsync(scenario, TimeSpan.FromSeconds(10));

        Assert.Equal(10, stats.Ok);
        Assert.Equal(90, stats.Fail);
        Assert.Equal(90, stats.Failures[Response.ClientOverloaded]);
        Assert.InRange(stats.Latency.PercentileMilliseconds(50), 2000, 2011);
    }

    [Fact]
    public async Task RunAsync_StepSlowerThanTimeout_CountsTimeouts()
    {
        var run = new FakeClockRun();
        var scenario = Scenario.Create("timeout", ctx => run.DelayAsync(TimeSpan.FromSeconds(5), ctx.CancellationToken))
            .WithoutWarmUp()
            .WithStepTimeout(TimeSpan.FromMilliseconds(200))
            .WithLoadSimulations(Simulation.Inject(20, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));

        var stats = await run.RunAsync(scenario, TimeSpan.FromSeconds(10));

        Assert.Equal(0, stats.Ok);
        Assert.Equal(20, stats.Failures[Response.Timeout]);
        Assert.InRange(stats.FailLatency.PercentileMilliseconds(50), 199, 202);
    }

    [Fact]
    public async Task RunAsync_StreamedStep_RecordsTtftAndCustomMetrics()
    {
        var scenario = Scenario.Create("custom", async ctx =>
            {
                await Task.Delay(5, ctx.CancellationToken);
                ctx.MarkFirstByte();
                ctx.Record("gap", TimeSpan.FromMilliseconds(7));
                await Task.Delay(5, ctx.CancellationToken);
                return Response.Ok(sizeBytes: 10);
            })
            .WithoutWarmUp()
            .WithLoadSimulations(Simulation.Inject(40, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(0.5)));

        var stats = await new ScenarioRunner().RunAsync(scenario);

        Assert.Equal(20, stats.Ok);
        Assert.Equal(20, stats.Ttft.Count);
        Assert.Equal(20, stats.Custom["gap"].Count);
        Assert.True(stats.Ttft.PercentileMilliseconds(50) < stats.Latency.PercentileMilliseconds(50));
        Assert.InRange(stats.Custom["gap"].PercentileMilliseconds(50), 6.9, 7.1);
        Assert.Equal(stats.Ok * 10, stats.Bytes);
    }

    [Fact]
    public async Task RunAsync_StepThrows_CountsFailureByExceptionType()
    {
        var scenario = Scenario.Create("throws", ctx => ctx.InvocationNumber % 2 == 0
                ? Task.FromResult(Response.Ok())
                : throw new InvalidOperationException("boom"))
            .WithoutWarmUp()
            .WithLoadSimulations(Simulation.Inject(50, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(0.4)));

        var stats = await new ScenarioRunner().RunAsync(scenario);

        Assert.Equal(10, stats.Ok);
        Assert.Equal(10, stats.Failures[nameof(InvalidOperationException)]);
    }

    [Fact]
    public async Task RunAsync_WithProgress_WritesPlainLines()
    {
        using var writer = new StringWriter();
        var scenario = Scenario.Create("progress", _ => Task.FromResult(Response.Ok()))
            .WithoutWarmUp()
            .WithLoadSimulations(Simulation.Inject(100, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(0.6)));

        await new ScenarioRunner(new ProgressReporter(writer, interactive: false, TimeSpan.FromMilliseconds(200))).RunAsync(scenario);

        var lines = writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length >= 2, writer.ToString());
        Assert.All(lines, l => Assert.StartsWith("[progress] inject 100/1s for 0.6s", l, StringComparison.Ordinal));
        Assert.Contains("ok       60", lines[^1], StringComparison.Ordinal);
        Assert.DoesNotContain('\r', writer.ToString());
    }

    /// <summary>A standard normal draw (Box-Muller).</summary>
    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
