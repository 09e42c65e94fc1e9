using Migration.Simulator.Content;
using Migration.Simulator.Randomness;

namespace Migration.Simulator.Tests.Content;

public class AnswerGeneratorTests
{
    [Fact]
    public void Generate_RateOne_AlwaysCanonical()
    {
        var generator = new AnswerGenerator(1.0, "salt");

        Assert.All(Enumerable.Range(0, 1000), i =>
        {
            var hash = Hash(i);
            Assert.Equal(AnswerGenerator.Canonical(hash), generator.Generate(hash));
        });
    }

    [Fact]
    public void ChooseVariant_RateZero_ProducesEveryDivergentKind()
    {
        var generator = new AnswerGenerator(0.0, "salt");

        var kinds = Enumerable.Range(0, 1000).Select(i => generator.ChooseVariant(Hash(i))).GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count());

        Assert.False(kinds.ContainsKey(AnswerVariant.Canonical));
        Assert.InRange(kinds[AnswerVariant.Equivalent], 150, 250);
        Assert.InRange(kinds[AnswerVariant.Similar], 340, 460);
        Assert.InRange(kinds[AnswerVariant.Different], 340, 460);
    }

    [Fact]
    public void ChooseVariant_SameSalt_LowerRateDivergesOnASupersetOfPrompts()
    {
        var strict = new AnswerGenerator(0.9, "salt");
        var loose = new AnswerGenerator(0.7, "salt");

        Assert.All(Enumerable.Range(0, 2000), i =>
        {
            var hash = Hash(i);
            if (strict.ChooseVariant(hash) != AnswerVariant.Canonical)
            {
                Assert.NotEqual(AnswerVariant.Canonical, loose.ChooseVariant(hash));
            }
        });
    }

    [Fact]
    public void ChooseVariant_DifferentSalt_PicksAnotherSetOfPrompts()
    {
        var first = new AnswerGenerator(0.5, "one");
        var second = new AnswerGenerator(0.5, "two");

        var both = Enumerable.Range(0, 4000).Count(i => first.ChooseVariant(Hash(i)) == AnswerVariant.Canonical && second.ChooseVariant(Hash(i)) == AnswerVariant.Canonical);

        Assert.InRange(both, 850, 1150); // independent: about 0.5 x 0.5
    }

    [Fact]
    public void Generate_Equivalent_DiffersOnlyInCaseSpacingAndFinalPunctuation()
    {
        var generator = new AnswerGenerator(0.0, "salt");
        var hash = Enumerable.Range(0, 1000).Select(Hash).First(h => generator.ChooseVariant(h) == AnswerVariant.Equivalent);

        var equivalent = generator.Generate(hash);
        var canonical = AnswerGenerator.Canonical(hash);

        Assert.NotEqual(canonical, equivalent);
        Assert.Equal(Normalize(canonical), Normalize(equivalent));
    }

    [Fact]
    public void Generate_Similar_KeepsMostWords()
    {
        var generator = new AnswerGenerator(0.0, "salt");
        var hashes = Enumerable.Range(0, 1000).Select(Hash).Where(h => generator.ChooseVariant(h) == AnswerVariant.Similar).Take(50);

        Assert.All(hashes, hash =>
        {
            var canonical = AnswerGenerator.Canonical(hash).Split(' ');
            var similar = generator.Generate(hash).Split(' ');
            Assert.NotEqual(canonical, similar);
            var same = canonical.Zip(similar).Count(p => p.First == p.Second);
            Assert.True(same >= canonical.Length * 0.6, $"{same} of {canonical.Length} words kept");
        });
    }

    [Fact]
    public void Generate_Different_SharesNoSentenceWithCanonical()
    {
        var generator = new AnswerGenerator(0.0, "salt");
        var hashes = Enumerable.Range(0, 1000).Select(Hash).Where(h => generator.ChooseVariant(h) == AnswerVariant.Different).Take(50);

        Assert.All(hashes, hash =>
        {
            var different = generator.Generate(hash);
            Assert.DoesNotContain(TextBank.Primary, different.Contains);
        });
    }

    private static ulong Hash(int i) => Fnv1a64.Hash($"prompt {i}");

    private static string Normalize(string text) =>
        string.Join(' ', text.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries)).TrimEnd('.');
}
