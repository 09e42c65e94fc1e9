namespace Migration.Load.Driver;

/// <summary>One arm of a comparison: a scenario and hooks run around each of its rounds.</summary>
internal sealed record ComparisonArm(string Name, ScenarioProps Scenario)
{
    /// <summary>Called after each round of this arm (e.g. to sample the working set of its process).</summary>
    public Action<ScenarioStats>? AfterRound { get; init; }
}

/// <summary>
/// Runs arms alternately in rounds (A B C A B C ...), so that a slow drift of the machine (thermal, other
/// processes) spreads over every arm instead of favouring the one that ran first.
/// </summary>
internal static class Comparison
{
    public const int MinimumRounds = 3;

    public static async Task<IReadOnlyDictionary<string, IReadOnlyList<ScenarioStats>>> RunAsync(
        ScenarioRunner runner, IReadOnlyList<ComparisonArm> arms, int rounds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(arms);
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        var results = arms.ToDictionary(a => a.Name, _ => new List<ScenarioStats>(), StringComparer.Ordinal);
        for (var round = 0; round < rounds; round++)
        {
            foreach (var arm in arms)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var stats = await runner.RunAsync(arm.Scenario with { Name = $"{arm.Scenario.Name} r{round + 1}" }, cancellationToken).ConfigureAwait(false);
                arm.AfterRound?.Invoke(stats);
                results[arm.Name].Add(stats);
            }
        }

        return results.ToDictionary(r => r.Key, r => (IReadOnlyList<ScenarioStats>)r.Value, StringComparer.Ordinal);
    }
}
