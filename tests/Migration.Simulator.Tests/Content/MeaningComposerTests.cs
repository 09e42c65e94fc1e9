using Migration.Simulator.Content;
using Migration.Simulator.Randomness;

namespace Migration.Simulator.Tests.Content;

public class MeaningComposerTests
{
    [Fact]
    public void Compose_SamePrompt_SameMeaningEveryTime()
    {
        var first = MeaningComposer.Compose(Hash("p"), "How do I export invoices?");
        var second = MeaningComposer.Compose(Hash("p"), "How do I export invoices?");

        Assert.Equal(AnswerRenderer.Render(first, WordingChoices.Canonical()), AnswerRenderer.Render(second, WordingChoices.Canonical()));
        Assert.Equal("invoices", first.Topic.Key);
    }

    [Fact]
    public void Compose_OtherTicketsOfOneTopic_StateOtherFactsOrNumbers()
    {
        var texts = Enumerable.Range(0, 20)
            .Select(i => AnswerRenderer.Render(MeaningComposer.Compose(Hash($"ticket {i}"), "How do I export invoices?"), WordingChoices.Canonical()))
            .ToHashSet();

        Assert.True(texts.Count >= 15, $"{texts.Count} distinct answers of 20");
    }

    [Fact]
    public void Compose_BriefPrompt_TwoFactsNoStepsNoClosing()
    {
        Assert.All(Enumerable.Range(0, 50), i =>
        {
            var meaning = MeaningComposer.Compose(Hash($"b{i}"), "Answer briefly: how do I reset a forgotten password?");
            Assert.Equal(AnswerShape.Brief, meaning.Shape);
            Assert.Equal(2, meaning.Facts.Count);
            Assert.Empty(meaning.Steps);
            Assert.False(meaning.Closing);
        });
    }

    [Fact]
    public void Compose_StepByStepPrompt_HasTheTopicsStepsInOrder()
    {
        var meaning = MeaningComposer.Compose(Hash("s"), "Explain step by step: how do I handle gift cards?");

        Assert.Equal(meaning.Topic.Steps, meaning.Steps);
        Assert.NotEmpty(meaning.Steps);
    }

    [Theory]
    [InlineData("Write a Python function that retries on rate limit errors.", "python")]
    [InlineData("Show me C# code for a resilient HttpClient.", "csharp")]
    [InlineData("Write a regex that matches invoice numbers.", null)] // a code-like prompt on a topic without code still gets code
    public void Compose_CodeLikePrompt_CarriesACodeSample(string prompt, string? language)
    {
        var meaning = MeaningComposer.Compose(Hash(prompt), prompt);

        Assert.NotNull(meaning.Code);
        if (language is not null)
        {
            Assert.Equal(language, meaning.Code.Sample.Language);
        }
    }

    [Fact]
    public void Compose_PlainPrompt_NoCode()
    {
        Assert.Null(MeaningComposer.Compose(Hash("x"), "How do I change the billing email?").Code);
    }

    [Fact]
    public void Degrade_Always_KeepsFewerFactsChangesEveryNumberAddsFarTopicDropsStepsAndClosing()
    {
        Assert.All(Enumerable.Range(0, 200), i =>
        {
            var meaning = MeaningComposer.Compose(Hash($"d{i}"), i % 2 == 0 ? "Explain step by step: how do I handle webhook retries?" : "Why do load tests need an open workload model?");
            var degraded = MeaningComposer.Degrade(meaning, Hash($"degrade {i}"));

            var kept = degraded.Facts.Where(f => meaning.Topic.Facts.Contains(f.Fact)).ToList();
            var added = degraded.Facts.Except(kept).ToList();
            Assert.InRange(kept.Count, 1, meaning.Facts.Count - 1);
            Assert.Equal(kept.Count, added.Count);
            Assert.All(added, f => Assert.Contains(KnowledgeBank.FarFrom(meaning.Topic), t => t.Facts.Contains(f.Fact)));
            Assert.All(kept, f =>
            {
                var original = meaning.Facts.Single(o => o.Fact == f.Fact);
                Assert.All(f.Values.Zip(original.Values), v => Assert.NotEqual(v.Second, v.First));
            });
            Assert.Empty(degraded.Steps);
            Assert.False(degraded.Closing);
        });
    }

    [Fact]
    public void Degrade_CodeAnswer_CutsTheCodeShortAndChangesItsNumbers()
    {
        var meaning = MeaningComposer.Compose(Hash("c"), "Write a Python function that retries on rate limit errors.");
        var degraded = MeaningComposer.Degrade(meaning, Hash("cd"));

        Assert.True(degraded.Code!.Lines < meaning.Code!.Lines);
        Assert.All(degraded.Code.Values.Zip(meaning.Code.Values), v => Assert.NotEqual(v.Second, v.First));
    }

    [Fact]
    public void Unrelated_Always_AnotherTopicSameShape()
    {
        var meaning = MeaningComposer.Compose(Hash("u"), "In one paragraph: how do I handle SSO with Okta?");

        Assert.All(Enumerable.Range(0, 50), i =>
        {
            var unrelated = MeaningComposer.Unrelated(meaning, Hash($"u{i}"));
            Assert.NotEqual(meaning.Topic.Key, unrelated.Topic.Key);
            Assert.Equal(meaning.Shape, unrelated.Shape);
        });
    }

    private static ulong Hash(string text) => Fnv1a64.Hash(text);
}
