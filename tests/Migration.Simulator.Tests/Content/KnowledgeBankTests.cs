using System.Text.RegularExpressions;
using Migration.Simulator.Content;

namespace Migration.Simulator.Tests.Content;

public partial class KnowledgeBankTests
{
    public static TheoryData<string, string> DemoAndLoadPrompts => new()
    {
        { "Answer briefly: how do I handle refund policy for annual plans? (ticket 3)", "refunds" },
        { "Explain step by step: how do I handle reset a forgotten password? (ticket 1)", "password" },
        { "In one paragraph: how do I handle export invoices as CSV? (ticket 9)", "invoices" },
        { "how do I handle change the billing email?", "billing-email" },
        { "how do I handle two-factor authentication?", "two-factor" },
        { "how do I handle delete my account?", "account-deletion" },
        { "how do I handle upgrade to the team plan?", "plans" },
        { "how do I handle API rate limits?", "rate-limits" },
        { "how do I handle webhook retries?", "webhooks" },
        { "how do I handle data retention?", "retention" },
        { "how do I handle SSO with Okta?", "sso" },
        { "how do I handle mobile app offline mode?", "offline" },
        { "how do I handle shipping to Canada?", "shipping" },
        { "how do I handle order status?", "orders" },
        { "how do I handle gift cards?", "gift-cards" },
        { "Summarise the benefits of canary releases in two sentences.", "canary" },
        { "Write a haiku about database migrations.", "migrations" },
        { "Explain what a p99 latency is to a product manager.", "latency" },
        { "List three ways to make an HTTP client resilient.", "resilience" },
        { "What is the capital of France? Answer in one word.", "france" },
        { "Give one tip for writing good commit messages.", "commits" },
        { "Why do load tests need an open workload model?", "load-testing" },
    };

    [Theory]
    [MemberData(nameof(DemoAndLoadPrompts))]
    public void Detect_DemoAndLoadPrompts_FindTheirTopic(string prompt, string topic)
    {
        Assert.Equal(topic, KnowledgeBank.Detect(prompt.ToLowerInvariant())?.Key);
    }

    [Theory]
    [InlineData("Translate 'shadow traffic' into French and German.")]
    [InlineData("Tell me something digital.")] // "git" inside a word is no commit question
    public void Detect_NoKeywordAtAWordStart_ReturnsNull(string prompt)
    {
        Assert.Null(KnowledgeBank.Detect(prompt.ToLowerInvariant()));
    }

    [Fact]
    public void Wordings_EveryFact_UsesExactlyItsFiguresAndTheSameLiteralNumbers()
    {
        foreach (var topic in KnowledgeBank.Topics.Append(KnowledgeBank.General))
        {
            foreach (var fact in topic.Facts)
            {
                var expected = Enumerable.Range(0, fact.Figures.Length).Select(i => "{" + i + "}").ToHashSet();
                Assert.All(fact.Wordings, w => Assert.Equal(expected, Placeholder().Matches(w).Select(m => m.Value).ToHashSet()));
                AssertSameNumbers(fact.Wordings, topic.Key);
            }

            AssertSameNumbers(topic.Openings, topic.Key);
            Assert.All(topic.Steps, step => AssertSameNumbers(step, topic.Key));
            if (topic.Code is { } code)
            {
                AssertSameNumbers(code.Leads, topic.Key);
                var used = code.Lines.SelectMany(l => Placeholder().Matches(l).Select(m => m.Value)).ToHashSet();
                Assert.Equal(Enumerable.Range(0, code.Figures.Length).Select(i => "{" + i + "}").ToHashSet(), used);
            }
        }
    }

    [Fact]
    public void Topics_KeysAreUniqueAndEachHasOpeningsAndFacts()
    {
        var topics = KnowledgeBank.Topics.Append(KnowledgeBank.General).ToList();

        Assert.Equal(topics.Count, topics.Select(t => t.Key).Distinct().Count());
        Assert.All(topics, t =>
        {
            Assert.True(t.Openings.Length >= 2, t.Key);
            Assert.True(t.Facts.Length >= 3, t.Key);
            Assert.All(t.Facts, f => Assert.True(f.Wordings.Length >= 2, t.Key + ": " + f.Wordings[0]));
        });
    }

    // A paraphrase must never change a number: every wording of one meaning carries the same literal numbers.
    private static void AssertSameNumbers(string[] wordings, string topic)
    {
        var first = Numbers(wordings[0]);
        Assert.All(wordings, w => Assert.True(first.SequenceEqual(Numbers(w)), $"{topic}: '{wordings[0]}' and '{w}' state different numbers"));
    }

    private static List<string> Numbers(string text) =>
        [.. Digits().Matches(Placeholder().Replace(text, string.Empty)).Select(m => m.Value).Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\d+(\.\d+)?")]
    private static partial Regex Digits();
}
