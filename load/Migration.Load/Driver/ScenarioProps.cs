namespace Migration.Load.Driver;

/// <summary>
/// A named scenario: one step function and the load simulations that drive it, in order. Immutable; the
/// <c>With*</c> methods return changed copies, as NBomber's <c>ScenarioProps</c> do.
/// </summary>
internal sealed record ScenarioProps
{
    /// <summary>Default cap on requests in flight for open-model phases.</summary>
    public const int DefaultMaxInFlight = 2000;

    public required string Name { get; init; }

    public required Func<IStepContext, Task<StepResponse>> Step { get; init; }

    public IReadOnlyList<LoadSimulation> Simulations { get; init; } = [];

    /// <summary>Load applied before measuring (same shape as the first simulation); results discarded.</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Most requests in flight at once in an open-model phase. A request due while the cap is reached is not
    /// started and counts as a failure <see cref="Response.ClientOverloaded"/>; the schedule does not move.
    /// </summary>
    public int MaxInFlight { get; init; } = DefaultMaxInFlight;

    /// <summary>Each step invocation is cancelled after this long and counts as a <see cref="Response.Timeout"/> failure.</summary>
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public ScenarioProps WithLoadSimulations(params LoadSimulation[] simulations)
    {
        ArgumentOutOfRangeException.ThrowIfZero(simulations.Length);
        return this with { Simulations = simulations };
    }

    public ScenarioProps WithWarmUpDuration(TimeSpan warmUp) => this with { WarmUp = warmUp < TimeSpan.Zero ? TimeSpan.Zero : warmUp };

    public ScenarioProps WithoutWarmUp() => this with { WarmUp = TimeSpan.Zero };

    public ScenarioProps WithMaxInFlight(int maxInFlight)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxInFlight);
        return this with { MaxInFlight = maxInFlight };
    }

    public ScenarioProps WithStepTimeout(TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        return this with { StepTimeout = timeout };
    }

    /// <summary>Total measured duration (warm-up excluded).</summary>
    public TimeSpan Duration => Simulations.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.During);
}

/// <summary>Entry point that reads like NBomber: <c>Scenario.Create("name", async ctx =&gt; ...)</c>.</summary>
internal static class Scenario
{
    public static ScenarioProps Create(string name, Func<IStepContext, Task<StepResponse>> step)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(step);
        return new ScenarioProps { Name = name, Step = step };
    }
}
