using System.Text;
using System.Text.RegularExpressions;

namespace Migration.Simulator.Content;

/// <summary>
/// Word-level rewording of prose that keeps its meaning: synonyms (each group switched on or off per answer, the
/// replacement picked per answer) and contractions ("you will" => "you'll"). One pass over the original text, so
/// a replacement is never replaced again. Never applied to code.
/// </summary>
internal sealed partial class Rewording
{
    // Replacements that keep the meaning in every sentence of the knowledge bank (checked against its wordings).
    // Replacements that keep the meaning in every sentence of the knowledge bank (checked against its wordings).
    // Matched case-sensitively: a lower-case entry also matches its capitalised form, a capitalised entry only
    // itself ("Open Billing" => "Go to Billing", but "an open workload model" stays).
    private static readonly (string Word, string[] Alternatives)[] Synonyms =
    [
        ("usually", ["typically", "normally"]),
        ("about", ["around", "roughly"]),
        ("choose", ["pick", "select"]),
        ("Open", ["Go to"]),
        ("Click", ["Select", "Press"]),
        ("make sure", ["ensure"]),
        ("receive", ["get"]),
        ("immediately", ["right away", "at once"]),
        ("for example", ["for instance"]),
        ("up to", ["a maximum of"]),
        ("large", ["big"]),
        ("shows", ["displays"]),
        ("is available", ["is offered"]),
    ];

    private static readonly (string Long, string Short)[] Contractions =
    [
        ("you will", "you'll"), ("do not", "don't"), ("does not", "doesn't"), ("is not", "isn't"), ("are not", "aren't"),
        ("cannot", "can't"), ("it is", "it's"), ("you are", "you're"), ("that is", "that's"), ("will not", "won't"),
        ("there is", "there's"), ("has not", "hasn't"), ("I am", "I'm"), ("we are", "we're"), ("here is", "here's"),
    ];

    // One pattern for every word any rewording may replace (longest first); a rewording answers only its own.
    private static readonly Regex AllWords = new(
        @"\b(" + string.Join('|', AllKeys().OrderByDescending(k => k.Length).Select(Regex.Escape)) + @")\b",
        RegexOptions.CultureInvariant | RegexOptions.Compiled,
        TimeSpan.FromSeconds(1));

    private readonly Dictionary<string, string> _replacements;

    private Rewording(Dictionary<string, string> replacements) => _replacements = replacements;

    /// <summary>No rewording (the canonical text).</summary>
    public static Rewording None { get; } = new([]);

    /// <summary>The rewording of one answer: which synonym groups, which alternative, contracted or not.</summary>
    public static Rewording Choose(WordingChoices choices)
    {
        if (choices.IsCanonical)
        {
            return None;
        }

        var replacements = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (word, alternatives) in Synonyms)
        {
            if (choices.Chance(0.5))
            {
                Add(replacements, word, alternatives[choices.Pick(alternatives.Length)]);
            }
        }

        if (choices.Chance(0.5))
        {
            foreach (var (full, contracted) in Contractions)
            {
                Add(replacements, full, contracted);
            }
        }

        return new Rewording(replacements);
    }

    public string Apply(string text) =>
        _replacements.Count == 0 ? text : AllWords.Replace(text, m => _replacements.GetValueOrDefault(m.Value, m.Value));

    private static IEnumerable<string> AllKeys()
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (word, alternatives) in Synonyms)
        {
            Add(keys, word, alternatives[0]);
        }

        foreach (var (full, contracted) in Contractions)
        {
            Add(keys, full, contracted);
        }

        return keys.Keys;
    }

    // "usually" also matches "Usually" (=> "Typically"); "Open" only itself.
    private static void Add(Dictionary<string, string> replacements, string word, string replacement)
    {
        replacements[word] = replacement;
        if (char.IsLower(word[0]))
        {
            replacements[Capitalize(word)] = Capitalize(replacement);
        }
    }

    private static string Capitalize(string text)
    {
        var builder = new StringBuilder(text);
        builder[0] = char.ToUpperInvariant(builder[0]);
        return builder.ToString();
    }
}
