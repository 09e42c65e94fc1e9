using Migration.Core.Exchange;

namespace Migration.Core.Health;

/// <summary>
/// The optional fallback models per model on the candidate (e.g. <c>gpt-4.1 → gemini-2.5-flash → deepseek-v3.2</c>):
/// a pure planner. Which models to try in order (<see cref="Plan(string, string?)"/>), whether an outcome moves to the
/// next one (<see cref="ShouldTryNext"/>) and, with a <see cref="DeadlineBudget"/>, whether any time is left to
/// (<see cref="Next"/>).
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

    /// <summary>Whether any model has fallbacks.</summary>
    public bool IsEmpty => _chains.Values.All(f => f.Length == 0);

    /// <summary>
    /// The models to try for a request that asked for <paramref name="model"/>: <paramref name="firstModel"/> (the name
    /// the candidate gets for it, after a model map; <paramref name="model"/> itself when null) first, then the
    /// fallbacks of <paramref name="model"/>, without repeats.
    /// </summary>
    public IReadOnlyList<string> Plan(string model, string? firstModel = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        var plan = new List<string> { string.IsNullOrWhiteSpace(firstModel) ? model : firstModel };
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
    /// Whether the attempt that ended with <paramref name="outcome"/> (HTTP <paramref name="status"/> when one came)
    /// should move to the next model: provider-side failures of the model (timeout, rate limit, 5xx, broken answers)
    /// and a 404 (the provider does not serve that model) do; a success, another client error (the request itself is
    /// wrong, another model would refuse it too) or a connection failure (the provider itself is unreachable, another
    /// model on it would fail the same way) does not.
    /// </summary>
    public static bool ShouldTryNext(ErrorClass outcome, int? status = null) => outcome switch
    {
        ErrorClass.ClientError => status == 404,
        ErrorClass.None or ErrorClass.Connection => false,
        _ => true,
    };

    /// <summary>
    /// The model to try after the <paramref name="tried"/> first models of <paramref name="plan"/>, the last of which
    /// ended with <paramref name="lastOutcome"/> (HTTP <paramref name="lastStatus"/>); null when that outcome should not
    /// be followed, every model was tried, or the <paramref name="budget"/> has less than <paramref name="minimumAttempt"/>
    /// left at <paramref name="now"/>.
    /// </summary>
    public static string? Next(IReadOnlyList<string> plan, int tried, ErrorClass lastOutcome, int? lastStatus, DeadlineBudget budget, DateTimeOffset now, TimeSpan minimumAttempt)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentOutOfRangeException.ThrowIfNegative(tried);
        if (tried == 0)
        {
            return plan.Count > 0 ? plan[0] : null;
        }

        if (!ShouldTryNext(lastOutcome, lastStatus) || tried >= plan.Count)
        {
            return null;
        }

        var left = budget.Remaining(now);
        return left > TimeSpan.Zero && left >= minimumAttempt ? plan[tried] : null;
    }
}
