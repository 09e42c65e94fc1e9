using System.Text;

namespace Migration.Core.Comparison;

/// <summary>
/// The "equivalent" normalisation: Unicode NFKC, case folded (invariant lower case), punctuation removed except
/// where it is part of a number, whitespace runs collapsed to one space, trimmed.
/// </summary>
/// <remarks>
/// Numbers keep their sign (<c>-5</c>), decimal and group separators (<c>3.14</c>, <c>1,000</c>) and a percent or
/// per-mille sign (<c>5%</c>): <c>-5</c> and <c>5</c>, or <c>3.14</c> and <c>314</c>, are never equivalent.
/// </remarks>
/// <remarks>
/// With <c>InvariantGlobalization</c> (.NET without ICU) <see cref="string.Normalize(NormalizationForm)"/> leaves
/// non-ASCII text unchanged, so the compatibility forms that matter most in model output are also folded here
/// by hand: full-width ASCII, the Latin ligatures and the Unicode spaces.
/// </remarks>
internal static class TextNormalizer
{
    public static string Normalize(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        string source;
        try
        {
            source = text.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            source = text; // invalid UTF-16 (lone surrogates): compare as is
        }

        var sb = new StringBuilder(source.Length);
        var pendingSpace = false;
        for (var i = 0; i < source.Length; i++)
        {
            var c = Fold(source[i], sb, ref pendingSpace);
            if (c == '\0')
            {
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                pendingSpace = sb.Length > 0;
                continue;
            }

            if (char.IsPunctuation(c) && !IsPartOfNumber(source, i, c))
            {
                continue;
            }

            if (c == '\u2212')
            {
                c = '-'; // the Unicode minus sign is a minus
            }

            if (pendingSpace)
            {
                sb.Append(' ');
                pendingSpace = false;
            }

            sb.Append(char.ToLowerInvariant(c));
        }

        return sb.ToString();
    }

    /// <summary>
    /// A sign right before a digit (at a word start), a '.' or ',' between digits, a '%' or '‰' right after a digit:
    /// the punctuation that changes a number's value.
    /// </summary>
    private static bool IsPartOfNumber(string s, int i, char c)
    {
        var next = i + 1 < s.Length ? FoldDigit(s[i + 1]) : '\0';
        var previous = i > 0 ? FoldDigit(s[i - 1]) : '\0';
        return c switch
        {
            '-' => char.IsAsciiDigit(next) && (i == 0 || !char.IsLetterOrDigit(previous)),
            '.' or ',' => char.IsAsciiDigit(previous) && char.IsAsciiDigit(next),
            '%' or '\u2030' => char.IsAsciiDigit(previous),
            _ => false,
        };
    }

    private static char FoldDigit(char c) => c is >= '\uFF10' and <= '\uFF19' ? (char)(c - 0xFEE0) : c;

    /// <summary>Folds one compatibility character; returns '\0' when it appended the expansion itself.</summary>
    private static char Fold(char c, StringBuilder sb, ref bool pendingSpace)
    {
        if (c is >= '\uFF01' and <= '\uFF5E')
        {
            return (char)(c - 0xFEE0); // full-width ASCII
        }

        if (c is '\u00A0' or '\u3000' or (>= '\u2000' and <= '\u200A') or '\u202F' or '\u205F')
        {
            return ' ';
        }

        if (c is '\u200B' or '\u200C' or '\u200D' or '\uFEFF' or '\u00AD')
        {
            return '\0'; // zero-width characters and soft hyphen vanish
        }

        var expansion = c switch
        {
            '\uFB00' => "ff",
            '\uFB01' => "fi",
            '\uFB02' => "fl",
            '\uFB03' => "ffi",
            '\uFB04' => "ffl",
            '\uFB05' or '\uFB06' => "st",
            _ => null,
        };
        if (expansion is null)
        {
            return c;
        }

        if (pendingSpace)
        {
            sb.Append(' ');
            pendingSpace = false;
        }

        sb.Append(expansion);
        return '\0';
    }

    /// <summary>Splits a normalised text into words (it is already single-space separated).</summary>
    public static string[] Words(string normalized) =>
        normalized.Length == 0 ? [] : normalized.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
