namespace Migration.SampleApi.Demo;

/// <summary>
/// The canary's timings for a demo of a given length: steps held a few seconds, the controller several times per
/// step, so shadow, ramp, outage and rollback all fit in <c>--duration</c> (60 s by default, 20-30 s compressed).
/// </summary>
internal sealed record DemoTiming(TimeSpan StepHold, TimeSpan Interval, TimeSpan Window, int MinRequests)
{
    public static IReadOnlyList<double> Steps { get; } = [5, 10, 25, 50, 100];

    public static DemoTiming For(int durationSeconds)
    {
        var hold = TimeSpan.FromSeconds(Math.Clamp(durationSeconds * 0.07, 1, 5));
        var interval = TimeSpan.FromMilliseconds(Math.Clamp(hold.TotalMilliseconds / 4, 250, 1000));
        var window = (hold * 2) + TimeSpan.FromSeconds(2);
        // Few canary requests flow at 5 %: a compressed run decides on a smaller (still non-zero) sample.
        var minRequests = durationSeconds < 45 ? 5 : 10;
        return new DemoTiming(hold, interval, window, minRequests);
    }
}
