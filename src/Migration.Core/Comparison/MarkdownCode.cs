using System.Text;

namespace Migration.Core.Comparison;

/// <summary>
/// Splits a Markdown answer into its prose and its fenced code blocks (<c>```</c> or <c>~~~</c>, CommonMark rules:
/// up to three spaces of indentation, closed by a fence of the same character at least as long; an unclosed fence
/// runs to the end). Code is compared as code, the prose by the text tiers.
/// </summary>
internal static class MarkdownCode
{
    /// <summary>The prose (code blocks removed, a blank line in their place) and the code blocks' bodies (without fences or info string).</summary>
    public static (string Prose, List<string> Code) Split(string text)
    {
        var code = new List<string>();
        if (string.IsNullOrEmpty(text) || (!text.Contains("```", StringComparison.Ordinal) && !text.Contains("~~~", StringComparison.Ordinal)))
        {
            return (text ?? string.Empty, code);
        }

        var prose = new StringBuilder(text.Length);
        StringBuilder? block = null;
        var fenceChar = '\0';
        var fenceLength = 0;
        foreach (var line in Lines(text))
        {
            var (c, length) = Fence(line);
            if (block is null)
            {
                if (length >= 3)
                {
                    block = new StringBuilder();
                    fenceChar = c;
                    fenceLength = length;
                    prose.Append('\n');
                }
                else
                {
                    prose.Append(line).Append('\n');
                }
            }
            else if (c == fenceChar && length >= fenceLength && line.AsSpan().Trim().Length == length)
            {
                code.Add(block.ToString());
                block = null;
            }
            else
            {
                block.Append(line).Append('\n');
            }
        }

        if (block is not null)
        {
            code.Add(block.ToString());
        }

        return (prose.ToString().TrimEnd('\n'), code);
    }

    /// <summary>Code with every whitespace character removed: how two code blocks compare (indentation, line breaks and spacing ignored).</summary>
    public static string WithoutWhitespace(string code)
    {
        var sb = new StringBuilder(code.Length);
        foreach (var c in code)
        {
            if (!char.IsWhiteSpace(c))
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static IEnumerable<string> Lines(string text)
    {
        var start = 0;
        while (start <= text.Length)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0)
            {
                yield return text[start..].TrimEnd('\r');
                yield break;
            }

            yield return text[start..end].TrimEnd('\r');
            start = end + 1;
        }
    }

    private static (char Char, int Length) Fence(string line)
    {
        var i = 0;
        while (i < line.Length && i < 3 && line[i] == ' ')
        {
            i++;
        }

        if (i >= line.Length || line[i] is not ('`' or '~'))
        {
            return ('\0', 0);
        }

        var c = line[i];
        var n = 0;
        while (i + n < line.Length && line[i + n] == c)
        {
            n++;
        }

        // A backtick fence's info string cannot contain a backtick.
        if (c == '`' && line.AsSpan(i + n).Contains('`'))
        {
            return ('\0', 0);
        }

        return (c, n);
    }
}
