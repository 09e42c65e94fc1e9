using System.Diagnostics;
using Migration.Load.Driver;
using Migration.TestKit;

namespace Migration.Load.Tests.Support;

/// <summary>
/// Runs a scenario on a <see cref="FakeClock"/>, moving it 1 ms at a time, each move only once the run is at rest:
/// every started request is inside its step waiting on a clock delay (plus its step-timeout timer) and the scheduler
/// (or the drain) waits on its own. So every figure the driver computes is exact up to the 1 ms step, whatever the
/// machine's load. Steps must wait through <see cref="DelayAsync"/> (or return at once) so that they are counted.
/// </summary>
internal sealed class FakeClockRun
{
    private int _inStep;

    public FakeClock Clock { get; } = new();

    /// <summary>Clock time since the run was created.</summary>
    public TimeSpan Now => Clock.GetUtcNow() - FakeClock.DefaultStart;

    /// <summary>A step waiting <paramref name="delay"/> on the fake clock, then answering OK with 10 bytes.</summary>
    public async Task<StepResponse> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _inStep);
        try
        {
            await Task.Delay(delay, Clock, cancellationToken).ConfigureAwait(false);
            return Response.Ok(sizeBytes: 10);
        }
        finally
        {
            Interlocked.Decrement(ref _inStep);
        }
    }

    public async Task<ScenarioStats> RunAsync(ScenarioProps scenario, TimeSpan limit)
    {
        var runner = new ScenarioRunner(time: Clock);
        var run = Task.Run(() => runner.RunAsync(scenario));
        var step = TimeSpan.FromMilliseconds(1);
        for (var moved = TimeSpan.Zero; !run.IsCompleted; moved += step)
        {
            Assert.True(moved <= limit, $"the run did not end within {limit} of clock time");
            await AtRestAsync(runner, run);
            Clock.Advance(step);
        }

        return await run;
    }

    private async Task AtRestAsync(ScenarioRunner runner, Task run)
    {
        var started = Stopwatch.GetTimestamp();
        for (var spins = 0; !run.IsCompleted; spins++)
        {
            var inStep = Volatile.Read(ref _inStep);
            if (runner.Current is { } phase && phase.InFlight == inStep && Clock.ActiveTimers == 1 + (2 * inStep))
            {
                return;
            }

            Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(30), $"the run did not come to rest: {inStep} in steps, {runner.Current?.InFlight} in flight, {Clock.ActiveTimers} timers, ok {runner.Current?.Stats.Ok} fail {runner.Current?.Stats.Fail} at {Now}");
            if (spins < 50)
            {
                Thread.Yield();
            }
            else
            {
                await Task.Delay(1);
            }
        }
    }
}
