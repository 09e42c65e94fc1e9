using Migration.Simulator.Randomness;

namespace Migration.Simulator.Content;

/// <summary>
/// Decides what an answer means from the prompt alone (never from the provider or the model), and what a weaker
/// model would say instead: fewer facts, other numbers, something off-topic.
/// </summary>
internal static class MeaningComposer
{
    private const ulong MeaningStream = 0x3C6EF372FE94F82BUL;
    private const ulong FigureStream = 0xA54FF53A5F1D36F1UL;

    /// <summary>The meaning of the answer to a prompt (<paramref name="userText"/> is the last user message).</summary>
    public static Meaning Compose(ulong promptHash, string? userText)
    {
        var lower = (userText ?? string.Empty).ToLowerInvariant();
        var topic = KnowledgeBank.Detect(lower) ?? KnowledgeBank.General;
        return Compose(topic, promptHash, lower);
    }

    /// <summary>
    /// What a weaker model passed off as the requested one answers: one or two of the facts (key ones missing),
    /// every number changed, as many statements from a far topic as facts kept, a vague opening, no steps, code cut
    /// short, no closing.
    /// </summary>
    public static Meaning Degrade(Meaning meaning, ulong hash)
    {
        var random = new SplitMix64(hash);
        var facts = meaning.Facts.ToList();
        var keep = facts.Count >= 4 ? 2 : 1;
        while (facts.Count > keep)
        {
            facts.RemoveAt((int)(random.NextUInt64() % (ulong)facts.Count));
        }

        var degraded = facts.Select(f => f with { Values = Changed(f.Fact.Figures, f.Values, ref random) }).ToList();
        var far = KnowledgeBank.FarFrom(meaning.Topic);
        var other = far[(int)(random.NextUInt64() % (ulong)far.Count)];
        foreach (var index in Pick(other.Facts.Length, Math.Min(keep, other.Facts.Length), ref random))
        {
            var fact = other.Facts[index];
            degraded.Insert(
                (int)(random.NextUInt64() % (ulong)(degraded.Count + 1)),
                new Meaning.StatedFact(fact, [.. fact.Figures.Select(f => f.Draw(random.NextUInt64()))]));
        }

        var topic = meaning.Topic with { Openings = KnowledgeBank.General.Openings };
        var code = meaning.Code is { } c
            ? c with { Values = Changed(c.Sample.Figures, c.Values, ref random), Lines = Math.Max(1, c.Lines * 2 / 5) }
            : null;
        return meaning with { Topic = topic, Facts = degraded, Steps = [], Code = code, Closing = false };
    }

    /// <summary>An answer about something else altogether (a provider that disagrees with the others).</summary>
    public static Meaning Unrelated(Meaning meaning, ulong hash) =>
        Compose(OtherTopic(meaning.Topic, hash), SplitMix64.Mix(hash), string.Empty) with { Shape = meaning.Shape };

    private static Meaning Compose(Topic topic, ulong promptHash, string lower)
    {
        var random = new SplitMix64(SplitMix64.Mix(promptHash ^ MeaningStream));
        var shape = KnowledgeBank.AsksBrief(lower) ? AnswerShape.Brief
            : KnowledgeBank.AsksParagraph(lower) ? AnswerShape.Paragraph
            : KnowledgeBank.AsksList(lower) ? AnswerShape.List
            : AnswerShape.Standard;

        var code = KnowledgeBank.AsksCode(lower)
            ? topic.Code ?? KnowledgeBank.WithCode[(int)(random.NextUInt64() % (ulong)KnowledgeBank.WithCode.Count)]
            : null;
        var count = shape == AnswerShape.Brief ? 2 : 3 + (int)(random.NextUInt64() % 3);
        if (code is not null)
        {
            count = Math.Min(count, 3);
        }

        var chosen = Pick(topic.Facts.Length, Math.Min(count, topic.Facts.Length), ref random).Order();
        var facts = chosen.Select(i => new Meaning.StatedFact(topic.Facts[i], Values(topic.Facts[i].Figures, promptHash))).ToList();

        var wantsSteps = shape != AnswerShape.Brief && (KnowledgeBank.AsksSteps(lower) || random.NextDouble() < 0.35);
        var steps = wantsSteps ? topic.Steps : [];
        var stated = code is null ? null : new Meaning.StatedCode(code, Values(code.Figures, promptHash), code.Lines.Length);
        var closing = shape != AnswerShape.Brief && random.NextDouble() < 0.6;
        return new Meaning(topic, facts, steps, stated, shape, closing);
    }

    // One value per figure name and prompt, so a fact and a code sample naming the same figure agree.
    private static int[] Values(Figure[] figures, ulong promptHash) =>
        [.. figures.Select(f => f.Draw(SplitMix64.Mix(promptHash ^ FigureStream ^ Fnv1a64.Hash(f.Name))))];

    private static int[] Changed(Figure[] figures, int[] values, ref SplitMix64 random)
    {
        var changed = new int[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            changed[i] = figures[i].Change(values[i], random.NextUInt64());
        }

        return changed;
    }

    private static Topic OtherTopic(Topic topic, ulong bits)
    {
        var topics = KnowledgeBank.Topics;
        var other = topics[(int)(bits % (ulong)topics.Count)];
        return other == topic ? KnowledgeBank.General == topic ? topics[0] : KnowledgeBank.General : other;
    }

    // count distinct indexes out of n (partial Fisher-Yates).
    private static List<int> Pick(int n, int count, ref SplitMix64 random)
    {
        var indexes = Enumerable.Range(0, n).ToArray();
        for (var i = 0; i < count; i++)
        {
            var j = i + (int)(random.NextUInt64() % (ulong)(n - i));
            (indexes[i], indexes[j]) = (indexes[j], indexes[i]);
        }

        return [.. indexes.Take(count)];
    }
}
