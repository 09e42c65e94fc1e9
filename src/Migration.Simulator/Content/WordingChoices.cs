using Migration.Simulator.Randomness;

namespace Migration.Simulator.Content;

/// <summary>
/// The choices of one rendering: canonical (always the first wording, nothing moved) or drawn from a seed, so
/// the same seed always gives the same text.
/// </summary>
internal sealed class WordingChoices
{
    private readonly bool _canonical;
    private SplitMix64 _random;

    private WordingChoices(bool canonical, ulong seed)
    {
        _canonical = canonical;
        _random = new SplitMix64(seed);
    }

    public bool IsCanonical => _canonical;

    /// <summary>The wording every provider uses when it answers verbatim.</summary>
    public static WordingChoices Canonical() => new(true, 0);

    public static WordingChoices Seeded(ulong seed) => new(false, seed);

    /// <summary>An index below <paramref name="count"/>; 0 when canonical.</summary>
    public int Pick(int count) => _canonical || count <= 1 ? 0 : (int)(_random.NextUInt64() % (ulong)count);

    /// <summary>True with probability <paramref name="probability"/>; never when canonical.</summary>
    public bool Chance(double probability) => !_canonical && _random.NextDouble() < probability;

    /// <summary>Reorders the list in place; canonical keeps the order.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        if (_canonical)
        {
            return;
        }

        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = (int)(_random.NextUInt64() % (ulong)(i + 1));
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
