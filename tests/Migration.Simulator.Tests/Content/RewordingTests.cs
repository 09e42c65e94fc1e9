using Migration.Simulator.Content;

namespace Migration.Simulator.Tests.Content;

public class RewordingTests
{
    [Fact]
    public void Apply_Canonical_ChangesNothing()
    {
        Assert.Equal("Open Billing. You will receive an email.", Rewording.Choose(WordingChoices.Canonical()).Apply("Open Billing. You will receive an email."));
    }

    [Fact]
    public void Apply_Seeded_ReplacesWholeWordsKeepingCaseAndNeverLowerCaseOpen()
    {
        var outputs = Enumerable.Range(0, 64)
            .Select(i => Rewording.Choose(WordingChoices.Seeded((ulong)i)).Apply("Open Billing. An open workload model. You will receive it. It usually takes about 5 minutes."))
            .ToList();

        Assert.Contains(outputs, o => o.StartsWith("Go to Billing.", StringComparison.Ordinal));
        Assert.Contains(outputs, o => o.Contains("You'll", StringComparison.Ordinal));
        Assert.Contains(outputs, o => o.Contains("typically", StringComparison.Ordinal) || o.Contains("normally", StringComparison.Ordinal));
        Assert.All(outputs, o =>
        {
            Assert.Contains("An open workload model.", o, StringComparison.Ordinal);
            Assert.Contains(" 5 minutes.", o, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Apply_Seeded_NeverReplacesAReplacement()
    {
        // "immediately" may become "at once"; nothing turns that into anything else.
        var outputs = Enumerable.Range(0, 64).Select(i => Rewording.Choose(WordingChoices.Seeded((ulong)i)).Apply("It applies immediately."));

        Assert.All(outputs, o => Assert.Contains(o, new[] { "It applies immediately.", "It applies right away.", "It applies at once." }));
    }
}
