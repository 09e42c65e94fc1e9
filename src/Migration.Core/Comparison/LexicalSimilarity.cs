namespace Migration.Core.Comparison;

/// <summary>
/// Lexical similarity in [0,1] of two normalised texts (see <see cref="TextNormalizer"/>).
/// Short texts (both at most <c>shortTextChars</c>): 1 - Levenshtein distance / longer length, so a typo in a
/// one-word answer still scores high. Longer texts: the mean of word-unigram F1 (same words, any order) and
/// word-bigram F1 (same word order), both over multisets; linear time, so long answers stay cheap.
/// </summary>
internal static class LexicalSimilarity
{
    public static double Score(string a, string b, int shortTextChars)
    {
        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return 1.0;
        }

        if (a.Length == 0 || b.Length == 0)
        {
            return 0.0;
        }

        if (a.Length <= shortTextChars && b.Length <= shortTextChars)
        {
            return 1.0 - ((double)Levenshtein(a, b) / Math.Max(a.Length, b.Length));
        }

        var wa = TextNormalizer.Words(a);
        var wb = TextNormalizer.Words(b);
        var unigram = F1(wa, wb, 1);
        if (wa.Length < 2 || wb.Length < 2)
        {
            return unigram;
        }

        return (unigram + F1(wa, wb, 2)) / 2.0;
    }

    /// <summary>F1 of n-gram multisets: 2 * overlap / (|a| + |b|).</summary>
    internal static double F1(string[] a, string[] b, int n)
    {
        var na = a.Length - n + 1;
        var nb = b.Length - n + 1;
        if (na <= 0 || nb <= 0)
        {
            return na <= 0 && nb <= 0 ? 1.0 : 0.0;
        }

        var counts = new Dictionary<string, int>(na, StringComparer.Ordinal);
        for (var i = 0; i < na; i++)
        {
            var key = Gram(a, i, n);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        var overlap = 0;
        for (var i = 0; i < nb; i++)
        {
            var key = Gram(b, i, n);
            if (counts.TryGetValue(key, out var c) && c > 0)
            {
                counts[key] = c - 1;
                overlap++;
            }
        }

        return 2.0 * overlap / (na + nb);
    }

    internal static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private static string Gram(string[] words, int start, int n) => n == 1 ? words[start] : string.Join(' ', words, start, n);
}
