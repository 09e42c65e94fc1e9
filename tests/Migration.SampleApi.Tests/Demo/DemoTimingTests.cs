using Migration.SampleApi.Demo;

namespace Migration.SampleApi.Tests.Demo;

public sealed class DemoTimingTests
{
    [Theory]
    [InlineData(20)]
    [InlineData(30)]
    [InlineData(60)]
    [InlineData(300)]
    public void For_Duration_RampToFiftyPercentFitsBeforeTheOutage(int seconds)
    {
        var timing = DemoTiming.For(seconds);

        // Three advances (5 -> 10 -> 25 -> 50), each a step hold plus at most one controller interval, after a shadow
        // phase of at most a quarter of the run, must end before the outage at 70 % of the run.
        var ramp = 3 * (timing.StepHold + timing.Interval).TotalSeconds;
        Assert.True((seconds * 0.25) + ramp < seconds * 0.7, $"ramp {ramp:0.#} s does not fit in {seconds} s");
        Assert.True(timing.Window >= timing.StepHold);
        Assert.InRange(timing.Interval, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void For_CompressedRun_DecidesOnASmallerSample()
    {
        Assert.Equal(5, DemoTiming.For(20).MinRequests);
        Assert.Equal(10, DemoTiming.For(60).MinRequests);
    }
}
