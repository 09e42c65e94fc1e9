using Migration.TestKit;

namespace Migration.Postgres.Tests.TestKit;

public sealed class FakeClockTests
{
    [Fact]
    public async Task Delay_CompletesOnlyWhenAdvancedPastDueTime()
    {
        var time = new FakeClock();
        var delay = Task.Delay(TimeSpan.FromSeconds(5), time);

        time.Advance(TimeSpan.FromSeconds(4.999));
        var beforeDue = delay.IsCompleted;
        time.Advance(TimeSpan.FromMilliseconds(1));
        await delay.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(beforeDue);
        Assert.True(delay.IsCompletedSuccessfully);
    }

    [Fact]
    public void CreateTimer_Periodic_FiresOncePerPeriodAtItsDueTime()
    {
        var time = new FakeClock();
        var start = time.GetUtcNow();
        var firedAt = new List<TimeSpan>();
        using var timer = time.CreateTimer(_ => firedAt.Add(time.GetUtcNow() - start), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));

        // FakeTimeProvider fires what fell due after moving to the target: one second at a time, each tick reads its own time.
        for (var i = 0; i < 6; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5)], firedAt);
    }

    [Fact]
    public void CreateTimer_PeriodicAdvancedAtOnce_FiresOncePerPeriodElapsed()
    {
        var time = new FakeClock();
        var fired = 0;
        using var timer = time.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));

        time.Advance(TimeSpan.FromSeconds(6));

        Assert.Equal(3, fired);
        Assert.Equal(1, time.ActiveTimers);
    }

    [Fact]
    public void ActiveTimers_OneShotFired_NoLongerCounted()
    {
        var time = new FakeClock();
        using var timer = time.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        var scheduled = time.ActiveTimers;

        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, scheduled);
        Assert.Equal(0, time.ActiveTimers);
    }

    [Fact]
    public void CreateTimer_ZeroDueTime_FiresAtOnce()
    {
        var time = new FakeClock();
        var fired = 0;

        using var timer = time.CreateTimer(_ => fired++, null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);

        Assert.Equal(1, fired);
        Assert.Equal(0, time.ActiveTimers);
    }

    [Fact]
    public void Timer_Disposed_DoesNotFire()
    {
        var time = new FakeClock();
        var fired = 0;
        var timer = time.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        timer.Dispose();
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(0, fired);
        Assert.Equal(0, time.ActiveTimers);
    }

    [Fact]
    public void Change_Rescheduled_FiresAtTheNewDueTime()
    {
        var time = new FakeClock();
        var fired = 0;
        using var timer = time.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        timer.Change(TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);
        time.Advance(TimeSpan.FromSeconds(9));
        var early = fired;
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(0, early);
        Assert.Equal(1, fired);
    }

    [Fact]
    public void GetElapsedTime_OddFrequency_MatchesAdvancedTime()
    {
        var time = new FakeClock();
        var before = time.GetTimestamp();

        time.Advance(TimeSpan.FromMilliseconds(1500));

        Assert.NotEqual(TimeSpan.TicksPerSecond, time.TimestampFrequency);
        Assert.Equal(FakeClock.Frequency * 3 / 2, time.GetTimestamp() - before);
        Assert.Equal(TimeSpan.FromMilliseconds(1500).TotalMilliseconds, time.GetElapsedTime(before).TotalMilliseconds, precision: 3);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 1, 500, TimeSpan.Zero), time.GetUtcNow());
    }

    [Fact]
    public async Task PeriodicTimer_WaitForNextTick_CompletesPerAdvance()
    {
        var time = new FakeClock();
        using var periodic = new PeriodicTimer(TimeSpan.FromMilliseconds(200), time);
        var ticks = 0;

        for (var i = 0; i < 3; i++)
        {
            var tick = periodic.WaitForNextTickAsync().AsTask();
            time.Advance(TimeSpan.FromMilliseconds(200));
            if (await tick.WaitAsync(TimeSpan.FromSeconds(10)))
            {
                ticks++;
            }
        }

        Assert.Equal(3, ticks);
    }

    [Fact]
    public async Task WaitForTimersAsync_LoopReachesDelay_Returns()
    {
        var time = new FakeClock();
        var loop = Task.Run(() => Task.Delay(TimeSpan.FromSeconds(1), time));

        await time.WaitForTimersAsync(1);
        time.Advance(TimeSpan.FromSeconds(1));
        await loop.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(loop.IsCompletedSuccessfully);
    }
}
