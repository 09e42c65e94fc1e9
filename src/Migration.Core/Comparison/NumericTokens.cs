using System.Globalization;
using System.Text.RegularExpressions;

namespace Migration.Core.Comparison;

/// <summary>
/// The numbers of a text, with sign, decimal point and unit, as the structure tier compares them: two answers whose
/// numbers differ are <see cref="Verdict.Different"/> however alike their words are ("the answer is 42" vs "43",
/// "-5" vs "5", "3.14" vs "314", "5 km" vs "5 mi", "20 %" vs "20").
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>A number is digits with optional group separators (<c>1,000</c>, <c>1.000.000</c>), a decimal part
/// (<c>3.14</c>, <c>3,14</c>), a sign right before it at a word start (<c>-5</c>, <c>−5</c>), an optional
/// currency before it (<c>$</c>, <c>€</c>, <c>£</c>, <c>¥</c>, <c>₫</c>) and an optional unit after it (<c>%</c>,
/// <c>km</c>, <c>kilometres</c>, <c>ms</c>, <c>GB</c>, <c>°C</c>, ...; long and short forms are one unit).
/// Values compare, not spellings: <c>5</c> = <c>5.0</c>, <c>1,000</c> = <c>1000</c>.</item>
/// <item>Ordered-list markers at a line start (<c>1.</c>, <c>2)</c>) are formatting, not numbers.</item>
/// <item>English number words (<c>two</c> .. <c>ninety-nine</c>, <c>hundred</c>, <c>thousand</c>) match the same
/// digits on the other side (<c>five days</c> = <c>5 days</c>). A number word left unmatched counts as a difference,
/// except <c>one</c> (a pronoun as often as a number).</item>
/// </list>
/// </remarks>
internal static partial class NumericTokens
{
    private const int MaxTokens = 512;

    /// <summary>Numbers of the text, in order of appearance.</summary>
    public static List<NumericToken> Extract(string text)
    {
        var tokens = new List<NumericToken>();
        if (string.IsNullOrEmpty(text))
        {
            return tokens;
        }

        foreach (Match m in NumberPattern().Matches(text))
        {
            if (tokens.Count >= MaxTokens)
            {
                break;
            }

            if (m.Groups["word"].Success)
            {
                if (WordValue(m.Groups["word"].Value) is { } wordValue)
                {
                    var wordUnit = m.Groups["wunit"].Success ? CanonicalUnit(m.Groups["wunit"].Value) : null;
                    tokens.Add(new NumericToken(m.Value.Trim(), Key(wordValue.ToString(CultureInfo.InvariantCulture), wordUnit), IsWord: true, IsOne: wordValue == 1));
                }

                continue;
            }

            if (IsListMarker(text, m))
            {
                continue;
            }

            var sign = m.Groups["sign"].Value is "-" or "\u2212" ? "-" : string.Empty;
            var value = CanonicalValue(m.Groups["num"].Value);
            var unit = m.Groups["unit"].Success ? CanonicalUnit(m.Groups["unit"].Value) : null;
            var currency = m.Groups["cur"].Success ? m.Groups["cur"].Value : null;
            tokens.Add(new NumericToken(m.Value.Trim(), Key(currency + sign + value, unit), IsWord: false, IsOne: false));
        }

        return tokens;
    }

    /// <summary>
    /// The numbers of each side the other side lacks (multisets by value and unit); both empty when the numbers agree.
    /// </summary>
    public static (List<string> PrimaryOnly, List<string> CandidateOnly) Difference(string primary, string candidate)
    {
        var a = Extract(primary);
        var b = Extract(candidate);
        if (a.Count == 0 && b.Count == 0)
        {
            return ([], []);
        }

        var onlyA = Unmatched(a, b);
        var onlyB = Unmatched(b, a);
        return (onlyA, onlyB);
    }

    private static List<string> Unmatched(List<NumericToken> side, List<NumericToken> other)
    {
        var available = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var t in other)
        {
            available[t.Key] = available.GetValueOrDefault(t.Key) + 1;
        }

        var result = new List<string>();
        foreach (var t in side)
        {
            if (available.TryGetValue(t.Key, out var n) && n > 0)
            {
                available[t.Key] = n - 1;
            }
            else if (!t.IsOne)
            {
                result.Add(t.Text);
            }
        }

        return result;
    }

    private static string Key(string value, string? unit) => unit is null ? value : value + " " + unit;

    private static bool IsListMarker(string text, Match m)
    {
        // "1. " / "2) " at the start of a line (after indentation or a quote marker) with nothing attached.
        if (m.Groups["sign"].Length > 0 || m.Groups["cur"].Success || m.Groups["unit"].Success)
        {
            return false;
        }

        var end = m.Index + m.Length;
        if (end >= text.Length || text[end] is not ('.' or ')') || (end + 1 < text.Length && !char.IsWhiteSpace(text[end + 1])))
        {
            return false;
        }

        for (var i = m.Index - 1; i >= 0; i--)
        {
            var c = text[i];
            if (c == '\n')
            {
                return true;
            }

            if (c is not (' ' or '\t' or '>'))
            {
                return false;
            }
        }

        return true;
    }

    private static string CanonicalValue(string number)
    {
        var s = number;
        if (GroupedComma().IsMatch(s))
        {
            s = s.Replace(",", "", StringComparison.Ordinal); // 1,000,000.5
        }
        else if (GroupedDot().IsMatch(s))
        {
            s = s.Replace(".", "", StringComparison.Ordinal).Replace(',', '.'); // 1.000.000 or 1.000,5
        }
        else
        {
            s = s.Replace(',', '.'); // 3,14
        }

        if (s.Count(c => c == '.') > 1)
        {
            return number; // a version or an address (1.2.3): compared as written
        }

        if (decimal.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d))
        {
            return d.ToString("0.############################", CultureInfo.InvariantCulture);
        }

        return s.TrimStart('0') is { Length: > 0 } trimmed ? trimmed : "0";
    }

    private static string CanonicalUnit(string unit)
    {
        var u = unit.Trim().ToLowerInvariant();
        return u switch
        {
            "%" or "percent" or "per cent" or "pct" => "%",
            "km" or "kilometer" or "kilometers" or "kilometre" or "kilometres" => "km",
            "m" or "meter" or "meters" or "metre" or "metres" => "m",
            "cm" or "centimeter" or "centimeters" or "centimetre" or "centimetres" => "cm",
            "mm" or "millimeter" or "millimeters" or "millimetre" or "millimetres" => "mm",
            "mi" or "mile" or "miles" => "mi",
            "ft" or "foot" or "feet" => "ft",
            "kg" or "kilogram" or "kilograms" or "kilo" or "kilos" => "kg",
            "g" or "gram" or "grams" => "g",
            "mg" or "milligram" or "milligrams" => "mg",
            "lb" or "lbs" or "pound" or "pounds" => "lb",
            "l" or "liter" or "liters" or "litre" or "litres" => "l",
            "ml" or "milliliter" or "milliliters" or "millilitre" or "millilitres" => "ml",
            "s" or "sec" or "secs" or "second" or "seconds" => "s",
            "ms" or "millisecond" or "milliseconds" => "ms",
            "min" or "mins" or "minute" or "minutes" => "min",
            "h" or "hr" or "hrs" or "hour" or "hours" => "h",
            "d" or "day" or "days" => "d",
            "wk" or "week" or "weeks" => "wk",
            "month" or "months" => "month",
            "yr" or "yrs" or "year" or "years" => "yr",
            "kb" or "kilobyte" or "kilobytes" => "kb",
            "mb" or "megabyte" or "megabytes" => "mb",
            "gb" or "gigabyte" or "gigabytes" => "gb",
            "tb" or "terabyte" or "terabytes" => "tb",
            "°c" or "celsius" => "°c",
            "°f" or "fahrenheit" => "°f",
            "usd" or "dollar" or "dollars" => "usd",
            "eur" or "euro" or "euros" => "eur",
            _ => u,
        };
    }

    private static int? WordValue(string word)
    {
        var w = word.ToLowerInvariant();
        var dash = w.IndexOfAny(['-', ' ']);
        if (dash > 0 && Tens(w[..dash]) is { } tens && Ones(w[(dash + 1)..].Trim()) is { } ones and > 0 and < 10)
        {
            return tens + ones;
        }

        return Ones(w) ?? Tens(w) ?? w switch
        {
            "hundred" => 100,
            "thousand" => 1000,
            "million" => 1_000_000,
            "billion" => 1_000_000_000,
            _ => null,
        };
    }

    private static int? Ones(string w) => w switch
    {
        "zero" => 0, "one" => 1, "two" => 2, "three" => 3, "four" => 4, "five" => 5, "six" => 6, "seven" => 7,
        "eight" => 8, "nine" => 9, "ten" => 10, "eleven" => 11, "twelve" => 12, "thirteen" => 13, "fourteen" => 14,
        "fifteen" => 15, "sixteen" => 16, "seventeen" => 17, "eighteen" => 18, "nineteen" => 19,
        _ => null,
    };

    private static int? Tens(string w) => w switch
    {
        "twenty" => 20, "thirty" => 30, "forty" => 40, "fifty" => 50, "sixty" => 60, "seventy" => 70, "eighty" => 80, "ninety" => 90,
        _ => null,
    };

    private const string Units =
        "%|‰|°[CF]|per ?cent|percent|pct|" +
        "kilomet(?:er|re)s?|km|met(?:er|re)s?|centimet(?:er|re)s?|cm|millimet(?:er|re)s?|mm|miles?|mi|ft|feet|foot|" +
        "kilograms?|kilos?|kg|grams?|g|milligrams?|mg|pounds?|lbs?|lit(?:er|re)s?|l|millilit(?:er|re)s?|ml|" +
        "milliseconds?|ms|seconds?|secs?|s|minutes?|mins?|min|hours?|hrs?|h|days?|d|weeks?|wk|months?|years?|yrs?|yr|" +
        "kilobytes?|kb|megabytes?|mb|gigabytes?|gb|terabytes?|tb|celsius|fahrenheit|usd|eur|euros?|dollars?";

    // A numeral (with currency, sign, groups, decimals and unit) or an English number word (with unit).
    [GeneratedRegex(
        @"(?<![\p{L}\p{N}_.,])(?<cur>[$€£¥₫])?(?<sign>(?<![\p{L}\p{N}])[-\u2212])?(?<num>\d+(?:[.,]\d+)*)(?:\s?(?<unit>" + Units + @")(?![\p{L}\p{N}]))?"
        + @"|\b(?<word>(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|hundred|thousand|million|billion)\b(?:\s(?<wunit>" + Units + @")(?![\p{L}\p{N}]))?",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex GroupedComma();

    [GeneratedRegex(@"^\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?$|^\d{1,3}(?:\.\d{3})+,\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex GroupedDot();
}
