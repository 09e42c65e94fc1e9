using Migration.Simulator.Content;
using Migration.Simulator.Randomness;

namespace Migration.Simulator.Tests.Content;

public class AnswerRendererTests
{
    public static TheoryData<string> Prompts => new()
    {
        "Explain step by step: how do I handle reset a forgotten password? (ticket 7)",
        "In one paragraph: how do I handle export invoices as CSV? (ticket 12)",
        "As a friendly support agent: how do I handle SSO with Okta? (ticket 22)",
        "Answer briefly: how do I handle refund policy for annual plans? (ticket 3)",
        "List three ways to make an HTTP client resilient.",
        "Write a Python function that retries on rate limit errors.",
        "Translate 'shadow traffic' into French and German.",
    };

    [Theory]
    [MemberData(nameof(Prompts))]
    public void Render_Seeded_KeepsEveryNumberAndTheCodeAndDiffersFromCanonical(string prompt)
    {
        var meaning = MeaningComposer.Compose(Fnv1a64.Hash(prompt), prompt);
        var canonical = AnswerRenderer.Render(meaning, WordingChoices.Canonical());

        var renderings = Enumerable.Range(0, 30).Select(i => AnswerRenderer.Render(meaning, WordingChoices.Seeded((ulong)i))).ToList();

        Assert.All(renderings, text =>
        {
            Assert.Equal(AnswerText.Numbers(canonical), AnswerText.Numbers(text));
            Assert.Equal(AnswerText.CodeTokens(canonical), AnswerText.CodeTokens(text));
        });
        Assert.True(renderings.Count(r => r != canonical) >= 28, "seeded renderings should reword the canonical text");
        Assert.True(renderings.Distinct().Count() >= 20, $"{renderings.Distinct().Count()} distinct renderings of 30");
    }

    [Fact]
    public void Render_Canonical_NumberedStepsInOrderAfterTheFacts()
    {
        const string prompt = "Explain step by step: how do I handle gift cards?";
        var meaning = MeaningComposer.Compose(Fnv1a64.Hash(prompt), prompt);

        var text = AnswerRenderer.Render(meaning, WordingChoices.Canonical());

        var lines = text.Split('\n');
        for (var i = 0; i < meaning.Steps.Count; i++)
        {
            Assert.Contains($"{i + 1}. {meaning.Steps[i][0]}", lines);
        }

        Assert.StartsWith(meaning.Topic.Openings[0], text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Seeded_StepsKeepTheirOrder()
    {
        const string prompt = "Explain step by step: how do I handle reset a forgotten password?";
        var meaning = MeaningComposer.Compose(Fnv1a64.Hash(prompt), prompt);

        Assert.All(Enumerable.Range(0, 40), seed =>
        {
            var text = AnswerRenderer.Render(meaning, WordingChoices.Seeded((ulong)seed));
            // The sign-in page comes first, the new password last, whichever wording and list style.
            var first = text.IndexOf("Forgot password", StringComparison.Ordinal);
            var last = Math.Max(text.IndexOf("new password and", StringComparison.Ordinal), text.IndexOf("new password, then", StringComparison.Ordinal));
            Assert.InRange(first, 0, last - 1);
        });
    }

    [Fact]
    public void Render_SeededManyTimes_UsesBulletsNumbersAndProseAndContractions()
    {
        const string prompt = "Explain step by step: how do I handle reset a forgotten password?";
        var meaning = MeaningComposer.Compose(Fnv1a64.Hash(prompt), prompt);
        var texts = Enumerable.Range(0, 100).Select(i => AnswerRenderer.Render(meaning, WordingChoices.Seeded((ulong)i))).ToList();

        Assert.Contains(texts, t => t.Contains("\n1. ", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("\n1) ", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("\n- ", StringComparison.Ordinal) || t.Contains("\n* ", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("First, ", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains('\'', StringComparison.Ordinal));
    }
}
