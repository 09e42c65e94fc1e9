using System.Text.RegularExpressions;

namespace Migration.Core.Comparison;

/// <summary>Splits prose into sentences: after <c>.</c>, <c>!</c>, <c>?</c> (and CJK stops) followed by white space, and at line breaks.</summary>
public static partial class SentenceSplitter
{
    /// <summary>The sentences of <paramref name="text"/>, trimmed, none empty.</summary>
    public static IReadOnlyList<string> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<string>();
        foreach (var part in Boundary().Split(text))
        {
            var trimmed = part.Trim();
            if (trimmed.Length > 0)
            {
                result.Add(trimmed);
            }
        }

        return result;
    }

    [GeneratedRegex(@"(?<=[.!?。！？])\s+|\n", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Boundary();
}
