namespace Migration.Simulator.Content;

/// <summary>
/// What an answer says, before any wording is chosen: the topic, the facts stated (with their numbers), the steps,
/// a code sample, the layout. A deterministic function of the prompt, so every provider means the same thing;
/// <see cref="AnswerRenderer"/> turns it into text.
/// </summary>
internal sealed record Meaning(
    Topic Topic,
    IReadOnlyList<Meaning.StatedFact> Facts,
    IReadOnlyList<string[]> Steps,
    Meaning.StatedCode? Code,
    AnswerShape Shape,
    bool Closing)
{
    /// <summary>Every number of the answer, by figure name (JSON answers list them).</summary>
    public IEnumerable<(Figure Figure, int Value)> Numbers =>
        Facts.SelectMany(f => f.Fact.Figures.Zip(f.Values))
            .Concat(Code is { } code ? code.Sample.Figures.Zip(code.Values) : [])
            .DistinctBy(n => n.First.Name)
            .Select(n => (n.First, n.Second));

    /// <summary>A fact with the values of its figures.</summary>
    internal sealed record StatedFact(Fact Fact, int[] Values);

    /// <summary>A code sample with the values of its figures and how many of its lines are given.</summary>
    internal sealed record StatedCode(CodeSample Sample, int[] Values, int Lines);
}
