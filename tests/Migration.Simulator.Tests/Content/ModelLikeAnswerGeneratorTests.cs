using Migration.Simulator.Content;
using Migration.Simulator.Randomness;

namespace Migration.Simulator.Tests.Content;

public class ModelLikeAnswerGeneratorTests
{
    private const string Prompt = "As a friendly support agent: how do I handle webhook retries? (ticket 1)";

    private static readonly AnswerSettings Verbatim = new() { Style = AnswerStyle.Verbatim };
    private static readonly AnswerSettings Paraphrase = new() { Style = AnswerStyle.Paraphrase };
    private static readonly AnswerSettings Sampling = new() { Style = AnswerStyle.Sampling };

    [Fact]
    public void Generate_Verbatim_EveryProviderAnswersTheSameText()
    {
        var openai = Create("openai", 1);
        var holysheep = Create("holysheep", 9);

        Assert.All(Enumerable.Range(0, 100), i =>
            Assert.Equal(Text(openai, Verbatim, i), Text(holysheep, Verbatim, i)));
    }

    [Fact]
    public void Generate_Paraphrase_DiffersFromVerbatimKeepsTheNumbersAndIsStablePerProvider()
    {
        var primary = Create("openai", 1);
        var candidate = Create("holysheep", 1);
        var again = Create("holysheep", 1);

        Assert.All(Enumerable.Range(0, 200), i =>
        {
            var verbatim = Text(primary, Verbatim, i);
            var paraphrase = Text(candidate, Paraphrase, i);
            Assert.NotEqual(verbatim, paraphrase);
            Assert.Equal(AnswerText.Numbers(verbatim), AnswerText.Numbers(paraphrase));
            Assert.Equal(paraphrase, Text(candidate, Paraphrase, i));
            Assert.Equal(paraphrase, Text(again, Paraphrase, i));
        });
    }

    [Fact]
    public void Generate_ParaphraseOtherNameOrSeed_OtherWording()
    {
        var a = Create("holysheep", 1);
        var b = Create("holysheep", 2);
        var c = Create("relay", 1);

        var differ = Enumerable.Range(0, 100).Count(i => Text(a, Paraphrase, i) != Text(b, Paraphrase, i) && Text(a, Paraphrase, i) != Text(c, Paraphrase, i));

        Assert.True(differ >= 90, $"{differ} of 100 prompts worded differently");
    }

    [Fact]
    public void Generate_Sampling_NewWordingEachCallSameNumbersAndReproducible()
    {
        var first = Create("openai", 1);
        var second = Create("openai", 1);

        var run = Enumerable.Range(0, 12).Select(_ => first.Generate(Sampling, Fnv1a64.Hash(Prompt), Prompt, false, null).Text).ToList();
        var rerun = Enumerable.Range(0, 12).Select(_ => second.Generate(Sampling, Fnv1a64.Hash(Prompt), Prompt, false, null).Text).ToList();

        Assert.Equal(run, rerun);
        Assert.All(run.Zip(run.Skip(1)), pair => Assert.NotEqual(pair.First, pair.Second));
        Assert.True(run.Distinct().Count() >= 8, $"{run.Distinct().Count()} distinct wordings in 12 calls");
        Assert.All(run, text => Assert.Equal(AnswerText.Numbers(run[0]), AnswerText.Numbers(text)));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    [InlineData(1.0)]
    public void Generate_DegradedRate_DegradesThatShareOfPrompts(double rate)
    {
        var generator = Create("weak", 1);
        var settings = Paraphrase with { DegradedRate = rate };

        var degraded = Enumerable.Range(0, 1000).Count(i => generator.Generate(settings, Hash(i), PromptOf(i), false, null).Degraded);

        Assert.InRange(degraded / 1000.0, Math.Max(0, rate - 0.05), Math.Min(1, rate + 0.05));
    }

    [Fact]
    public void Generate_Degraded_ChangesTheNumbersOfTheAnswer()
    {
        var primary = Create("openai", 1);
        var weak = Create("weak", 1);
        var settings = Verbatim with { DegradedRate = 1 };

        Assert.All(Enumerable.Range(0, 100), i =>
        {
            var (text, degraded) = weak.Generate(settings, Hash(i), PromptOf(i), false, null);
            Assert.True(degraded);
            Assert.NotEqual(AnswerText.Numbers(Text(primary, Verbatim, i)), AnswerText.Numbers(text));
        });
    }

    [Fact]
    public void IsDegraded_LowerRate_PromptsAreAmongThoseOfAHigherRate()
    {
        var generator = Create("weak", 1);

        Assert.All(Enumerable.Range(0, 2000), i =>
        {
            if (generator.IsDegraded(Hash(i), 0.2))
            {
                Assert.True(generator.IsDegraded(Hash(i), 0.5));
            }
        });
    }

    [Fact]
    public void Generate_AgreementBelowOne_DisagreeingPromptsGetAnotherTopic()
    {
        var generator = new ModelLikeAnswerGenerator(new AnswerGenerator(0.0, "salt"), "salt", "sim", 1);
        var primary = Create("openai", 1);

        Assert.All(Enumerable.Range(0, 50), i =>
        {
            var text = generator.Generate(Verbatim, Hash(i), PromptOf(i), false, null).Text;
            Assert.NotEqual(Text(primary, Verbatim, i), text);
            Assert.DoesNotContain("webhook", text, StringComparison.OrdinalIgnoreCase);
        });
    }

    private static ModelLikeAnswerGenerator Create(string name, int seed) =>
        new(new AnswerGenerator(1.0, "divergence"), "divergence", name, seed);

    private static string Text(ModelLikeAnswerGenerator generator, AnswerSettings settings, int i) =>
        generator.Generate(settings, Hash(i), PromptOf(i), false, null).Text;

    private static ulong Hash(int i) => Fnv1a64.Hash(PromptOf(i));

    private static string PromptOf(int i) => i % 3 == 0 ? Prompt + " #" + i : $"Explain step by step: how do I handle webhook retries? (ticket {i})";
}
