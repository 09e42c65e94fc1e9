namespace Migration.Simulator.Content;

/// <summary>
/// What model-like answers are made of: topics (chosen by the words of the prompt), generic closings, and the
/// prompt hints that shape an answer (brief, step by step, a list, code).
/// </summary>
internal static partial class KnowledgeBank
{
    /// <summary>Wordings of the closing sentence an answer may end with.</summary>
    public static readonly string[] Closings =
    [
        "Let me know if you would like more detail on any of these points.",
        "If you want more detail on any point, just ask.",
        "I am happy to go into more detail if that helps.",
    ];

    /// <summary>Wordings of the line that introduces a list of steps.</summary>
    public static readonly string[] StepLeads = ["Here are the steps:", "Follow these steps:", "To do it:", "The steps are:"];

    /// <summary>Wordings of the line that introduces facts written as a list.</summary>
    public static readonly string[] FactLeads = ["Here are the main points:", "A few things to know:", "Key points:", "The main points are:"];

    private static readonly string[] BriefHints =
        ["briefly", "brief", "one word", "one sentence", "two sentences", "short answer", "in short", "tl;dr", "haiku", "concise", "one tip"];

    private static readonly string[] ParagraphHints = ["one paragraph", "a paragraph", "in prose", "single paragraph"];

    private static readonly string[] StepHints = ["step by step", "steps", "how do i", "how to", "how can i", "walk me through", "guide", "instructions"];

    private static readonly string[] ListHints = ["list", "ways", "tips", "bullet", "options", "reasons", "checklist"];

    private static readonly string[] CodeHints =
    [
        "code", "snippet", "function", "script", "implement", "example in", "python", "c#", "csharp", ".net", "javascript",
        "typescript", "sql", "query", "regex", "bash", "curl", "program",
    ];

    // Field initialisers of the partial files all run before this, whatever their file order.
    static KnowledgeBank()
    {
        Topics = [.. Support, .. Engineering];
        WithCode = [.. Topics.Where(t => t.Code is not null).Select(t => t.Code!)];
    }

    /// <summary>
    /// Topics far from <paramref name="topic"/>: engineering topics for a support one and the other way round, so
    /// what a degraded answer adds is clearly off-topic.
    /// </summary>
    public static IReadOnlyList<Topic> FarFrom(Topic topic) => Array.IndexOf(Engineering, topic) >= 0 ? Support : Engineering;

    /// <summary>Every topic a prompt can select, in match priority order.</summary>
    public static IReadOnlyList<Topic> Topics { get; }

    /// <summary>The answer to prompts that match no topic.</summary>
    public static Topic General => GeneralTopic;

    /// <summary>Every code sample, for code-like prompts on a topic without one.</summary>
    public static IReadOnlyList<CodeSample> WithCode { get; }

    /// <summary>The topic whose keywords the (lower-case) prompt mentions most; null when none.</summary>
    public static Topic? Detect(string lowerText)
    {
        Topic? best = null;
        var bestScore = 0;
        foreach (var topic in Topics)
        {
            var score = 0;
            foreach (var keyword in topic.Keywords)
            {
                if (MentionsWord(lowerText, keyword))
                {
                    score++;
                }
            }

            if (score > bestScore)
            {
                best = topic;
                bestScore = score;
            }
        }

        return best;
    }

    public static bool AsksBrief(string lowerText) => MentionsAny(lowerText, BriefHints);

    public static bool AsksParagraph(string lowerText) => MentionsAny(lowerText, ParagraphHints);

    public static bool AsksSteps(string lowerText) => MentionsAny(lowerText, StepHints);

    public static bool AsksList(string lowerText) => MentionsAny(lowerText, ListHints);

    public static bool AsksCode(string lowerText) => MentionsAny(lowerText, CodeHints);

    private static bool MentionsAny(string text, string[] words)
    {
        foreach (var word in words)
        {
            if (MentionsWord(text, word))
            {
                return true;
            }
        }

        return false;
    }

    // At the start of a word, so "git" is not found in "digital" (a prefix may end mid-word: "resilien").
    private static bool MentionsWord(string text, string word)
    {
        for (var at = text.IndexOf(word, StringComparison.Ordinal); at >= 0; at = text.IndexOf(word, at + 1, StringComparison.Ordinal))
        {
            if (at == 0 || !char.IsLetterOrDigit(text[at - 1]))
            {
                return true;
            }
        }

        return false;
    }
}
