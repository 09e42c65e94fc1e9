using Migration.Core.Exchange;

namespace Migration.Core.Health;

/// <summary>
/// The optional fallback models per model on the candidate (e.g. <c>gpt-4.1 → gemini-2.5-flash → deepseek-v3.2</c>):
/// a pure planner. Which models to try in order (<see cref="Plan"/>), whether an outcome moves to the next one
/// (<see cref="ShouldTryNext"/>) and, with a <see cref="DeadlineBudget"/>, whether any time is left to.
/// </summary>
public sealed class FallbackModelChain
{
    private readonly Dictionary<string, string[]> _chains;

    /// <summary>A planner over <paramref name="chains"/>: model → fallback models, in order (model names case-insensitive).</summary>
    public FallbackModelChain(IEnumerable<KeyValuePair<string, IList<string>>> chains)
    {
        ArgumentNullException.ThrowIfNull(chains);
        _chains = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var (model, fallbacks) in chains)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(model, nameof(chains));
            _chains[model] = [.. (fallbacks ?? []).Where(f => !string.IsNullOrWhiteSpace(f)).Select(f => f.Trim())];
        }
    }

    /// <summary>No fallbacks at all.</summary>
    public static FallbackModelChain None { get; } = new([]);

    /// <summary>The models to try for <paramref name="model"/>: itself first, then its fallbacks, without repeats.</summary>
    public IReadOnlyList<string> Plan(string model)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        var plan = new List<string> { model };
        if (_chains.TryGetValue(model, out var fallbacks))
        {
            foreach (var fallback in fallbacks)
            {
                if (!plan.Contains(fallback, StringComparer.OrdinalIgnoreCase))
                {
                    plan.Add(fallback);
                }
            }
        }

        return plan;
    }

    /// <summary>
    /// Whether the attempt that ended with <paramref name="outcome"/> should move to the next model: provider-side
    /// failures (timeout, rate limit, 5xx, connection, broken answers) do; a success or a client error (the request
    /// itself is wrong, another model would refuse it too) does not.
    /// </summary>
    public static bool ShouldTryNext(ErrorClass outcome) => outcome switch
    {
        ErrorClass.None or ErrorClass.ClientError => false,
        _ => true,
    };

    /// <summary>
    /// The next model after <paramref name="attempts"/> for <paramref name="model"/>, or null when the last attempt
    /// should not be followed, every model was tried, or the <paramref name="budget"/> has less than
    /// <paramref name="minimumAttempt"/> left at <paramref name="now"/>.
    /// </summary>
    public string? Next(string model, IReadOnlyList<FallbackAttempt> attempts, DeadlineBudget budget, DateTimeOffset now, TimeSpan minimumAttempt)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        ArgumentNullException.ThrowIfNull(budget);
        var plan = Plan(model);
        if (attempts.Count == 0)
        {
            return plan[0];
        }

        if (!ShouldTryNext(attempts[^1].Outcome) || attempts.Count >= plan.Count)
        {
            return null;
        }

        var left = budget.Remaining(now);
        return left > TimeSpan.Zero && left >= minimumAttempt ? plan[attempts.Count] : null;
    }
}
