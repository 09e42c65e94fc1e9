namespace Migration.Simulator.Content;

/// <summary>
/// The simulator's token model: one token is a word with the whitespace before it. Crude next to a real BPE
/// tokenizer, but stable, cheap, and it makes usage counts, <c>max_tokens</c> caps and stream chunking agree.
/// </summary>
internal static class Tokenizer
{
    public static int Count(ReadOnlySpan<char> text)
    {
        var count = 0;
        var inWord = false;
        foreach (var c in text)
        {
            var space = char.IsWhiteSpace(c);
            if (!space && !inWord)
            {
                count++;
            }

            inWord = !space;
        }

        return count;
    }

    /// <summary>
    /// The index just after <paramref name="tokens"/> tokens starting at <paramref name="start"/>; whitespace left
    /// at the very end is taken along so the pieces always add up to the whole text.
    /// </summary>
    public static int Advance(ReadOnlySpan<char> text, int start, int tokens)
    {
        var i = start;
        for (var t = 0; t < tokens && i < text.Length; t++)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            while (i < text.Length && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }
        }

        var rest = i;
        while (rest < text.Length && char.IsWhiteSpace(text[rest]))
        {
            rest++;
        }

        return rest == text.Length ? rest : i;
    }
}
