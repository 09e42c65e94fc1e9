using Migration.Core.Exchange;

namespace Migration.Core.Health;

/// <summary>One attempt of a fallback chain: which model, how it ended, how long it took and what it cost.</summary>
/// <param name="Model">The model tried.</param>
/// <param name="Outcome">How it ended (<see cref="ErrorClass.None"/> = answered).</param>
/// <param name="Duration">How long it took.</param>
/// <param name="CostUsd">What it cost, when known.</param>
public sealed record FallbackAttempt(string Model, ErrorClass Outcome, TimeSpan Duration, decimal? CostUsd);
