using System.Text.RegularExpressions;

namespace Migration.Simulator.Tests.Content;

/// <summary>What the model-like answer tests compare: numbers (list markers left out) and code (whitespace left out).</summary>
internal static partial class AnswerText
{
    /// <summary>Every number in the text, sorted, without list markers ("1. ", "2) ") and outside code fences too.</summary>
    public static List<string> Numbers(string text) =>
        [.. Digits().Matches(ListMarker().Replace(text, string.Empty)).Select(m => m.Value).Order(StringComparer.Ordinal)];

    /// <summary>The content of the first fenced code block with all whitespace removed; null when there is none.</summary>
    public static string? CodeTokens(string text)
    {
        var match = Fence().Match(text);
        return match.Success ? Whitespace().Replace(match.Groups[1].Value, string.Empty) : null;
    }

    [GeneratedRegex(@"(?m)^\s*\d+[.)] ")]
    private static partial Regex ListMarker();

    [GeneratedRegex(@"\d+(\.\d+)?")]
    private static partial Regex Digits();

    [GeneratedRegex(@"```\w*\n(.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex Fence();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
