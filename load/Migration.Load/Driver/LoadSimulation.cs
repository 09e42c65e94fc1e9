namespace Migration.Load.Driver;

/// <summary>
/// How load is applied during one phase of a scenario (NBomber's vocabulary). <see cref="Inject"/> is the open
/// model: requests start at fixed intended times whatever is in flight. <see cref="KeepConstant"/> is the closed
/// model: a fixed number of copies each send the next request when the previous one has answered.
/// </summary>
internal abstract record LoadSimulation(TimeSpan During)
{
    /// <summary>A short human description, e.g. "inject 100/1s for 30s".</summary>
    public abstract string Describe();

    /// <summary>Open model: <paramref name="Rate"/> requests per <paramref name="Interval"/>, evenly spaced.</summary>
    internal sealed record Inject(double Rate, TimeSpan Interval, TimeSpan During) : LoadSimulation(During)
    {
        /// <summary>Requests per second.</summary>
        public double PerSecond => Rate / Interval.TotalSeconds;

        /// <summary>How many requests the phase starts: rate x (during / interval), rounded.</summary>
        public long TotalRequests => (long)Math.Round(Rate * (During.TotalSeconds / Interval.TotalSeconds));

        public override string Describe() => FormattableString.Invariant($"inject {Rate:0.##}/{Interval.TotalSeconds:0.###}s for {During.TotalSeconds:0.#}s");
    }

    /// <summary>Closed model: <paramref name="Copies"/> concurrent loops for <paramref name="During"/>.</summary>
    internal sealed record KeepConstant(int Copies, TimeSpan During) : LoadSimulation(During)
    {
        public override string Describe() => FormattableString.Invariant($"keep constant {Copies} copies for {During.TotalSeconds:0.#}s");
    }
}

/// <summary>Factory methods that read like NBomber's <c>Simulation.Inject(...)</c> / <c>Simulation.KeepConstant(...)</c>.</summary>
internal static class Simulation
{
    /// <summary>Open model: start <paramref name="rate"/> requests every <paramref name="interval"/> for <paramref name="during"/>.</summary>
    public static LoadSimulation Inject(double rate, TimeSpan interval, TimeSpan during)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rate);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(during, TimeSpan.Zero);
        return new LoadSimulation.Inject(rate, interval, during);
    }

    /// <summary>Closed model: keep <paramref name="copies"/> requests in flight for <paramref name="during"/>.</summary>
    public static LoadSimulation KeepConstant(int copies, TimeSpan during)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(copies);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(during, TimeSpan.Zero);
        return new LoadSimulation.KeepConstant(copies, during);
    }
}
