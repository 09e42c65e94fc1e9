namespace Migration.Core.Comparison;

/// <summary>
/// The text tiers for one pair of free texts: exact, then structure inside the text (fenced code blocks compared as
/// code, numbers with sign, decimals and units), then normalized, then lexical. A pair the lexical tier decided is
/// recorded for a semantic re-score.
/// </summary>
internal static class TextTiers
{
    public static PartResult Compare(string? primary, string? candidate, string path, ComparisonRun run)
    {
        // A tool-call-only answer has null content, a streamed one often "": the same thing.
        primary ??= string.Empty;
        candidate ??= string.Empty;
        if (string.Equals(primary, candidate, StringComparison.Ordinal))
        {
            return PartResult.Exact;
        }

        var (proseA, codeA) = MarkdownCode.Split(primary);
        var (proseB, codeB) = MarkdownCode.Split(candidate);
        if (codeA.Count != codeB.Count)
        {
            run.Diff.Code ??= Prefix(path) + codeA.Count + " vs " + codeB.Count + " code blocks";
            return PartResult.StructureDifferent;
        }

        for (var i = 0; i < codeA.Count; i++)
        {
            if (!string.Equals(MarkdownCode.WithoutWhitespace(codeA[i]), MarkdownCode.WithoutWhitespace(codeB[i]), StringComparison.Ordinal))
            {
                run.Diff.Code ??= Prefix(path) + "code block " + (i + 1) + " of " + codeA.Count + " differs";
                return PartResult.StructureDifferent;
            }
        }

        var (numbersA, numbersB) = NumericTokens.Difference(proseA, proseB);
        if (numbersA.Count > 0 || numbersB.Count > 0)
        {
            run.Diff.AddNumbers(path, numbersA, numbersB);
            return PartResult.StructureDifferent;
        }

        var a = TextNormalizer.Normalize(proseA);
        var b = TextNormalizer.Normalize(proseB);
        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            run.Diff.SetContentScore(1.0);
            return PartResult.Equivalent;
        }

        // A score of 1.0 after normalisation would have been equal; keep "similar" strictly below "equivalent".
        var score = Math.Min(LexicalSimilarity.Score(a, b, run.Options.ShortTextChars), 0.9999);
        run.Diff.SetContentScore(score);
        run.LexicalPairs.Add(new TextPair(path, proseA, proseB, score));
        return new PartResult(score >= run.Options.SimilarThreshold ? Verdict.Similar : Verdict.Different, ComparisonTier.Lexical, score);
    }

    private static string Prefix(string path) => path == "content" ? string.Empty : path + ": ";
}
