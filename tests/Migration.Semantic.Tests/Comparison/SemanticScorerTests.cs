using System.Globalization;
using Migration.Core.Comparison;
using Migration.Core.OpenAI;
using Migration.Semantic.Local;
using Migration.Simulator;
using Xunit.Abstractions;

namespace Migration.Semantic.Tests.Comparison;

// The semantic tier with the real all-MiniLM-L6-v2 (one process-wide encoder) on top of the real comparer.
public sealed class SemanticScorerTests(ITestOutputHelper output)
{
    private static readonly SemanticScorer Scorer = new(new MiniLmEmbeddingGenerator());
    private static readonly SemanticCutoffs Cutoffs = new();
    private static readonly DefaultResponseComparer Comparer = new();

    [Theory]
    [InlineData("The refund is paid within 14 days of the request.", "The refund is paid within 41 days of the request.")]
    [InlineData("Set the timeout to -5 seconds to disable it.", "Set the timeout to 5 seconds to disable it.")]
    [InlineData("Pi is roughly 3.14, which is enough for this estimate.", "Pi is roughly 314, which is enough for this estimate.")]
    [InlineData("The answer is 42.", "The answer is 43.")]
    [InlineData("The office is 5 km from the station, a short walk.", "The office is 5 mi from the station, a short walk.")]
    public async Task Compare_NumberSignOrDecimalChanged_DifferentEvenWithTheSemanticTier(string primary, string candidate)
    {
        var result = await CompareAsync(primary, candidate);

        Assert.Equal(Verdict.Different, result.Verdict);
        Assert.Equal(ComparisonTier.Structure, result.Tier);
    }

    [Fact]
    public async Task Compare_LongAnswerWhoseLastParagraphDiffers_NotExactOrEquivalent()
    {
        var shared = string.Join(
            "\n\n",
            "To export your invoices, open the Billing page of the dashboard, choose the period you need and make sure you are signed in as an owner or a billing admin.",
            "Select CSV as the format. The file lists every invoice with its date, amount, currency and status, and it opens in any spreadsheet program you may use.",
            "Large exports are prepared in the background and a download link is sent to the billing email, so you do not have to keep the page open while you wait.");
        var primary = shared + "\n\nIf the download link expires before you use it, start the export again from the same page and a fresh link will be sent to the billing email.";
        var candidate = shared + "\n\nOur office dog is called Biscuit, loves long walks on the beach in the summer and gets very excited whenever someone opens a bag of crisps.";

        var whole = await Scorer.ScoreAsync(primary.Replace("\n\n", " ", StringComparison.Ordinal), candidate.Replace("\n\n", " ", StringComparison.Ordinal));
        var result = await CompareAsync(primary, candidate);

        output.WriteLine($"whole-text cosine {whole.Score:F3}, chunked {result.Score:F3}");
        Assert.True(whole.Score >= Cutoffs.Similar, "the whole-text cosine alone would wash the last paragraph out");
        Assert.NotEqual(Verdict.Exact, result.Verdict);
        Assert.NotEqual(Verdict.Equivalent, result.Verdict);
        Assert.Equal(Verdict.Different, result.Verdict);
        Assert.Equal(ComparisonTier.Semantic, result.Tier);
    }

    [Fact]
    public async Task Compare_ReorderedParagraphs_StillMatch()
    {
        var a = "Open Settings and choose Security.\n\nTurn on two-factor authentication and scan the code with your app.";
        var b = "Enable two-factor authentication, then scan the QR code using your authenticator app.\n\nFirst go to Settings and pick Security.";

        var result = await CompareAsync(a, b);

        Assert.True(result.Verdict <= Verdict.Similar, $"{result.Verdict} {result.Score}");
    }

    [Fact]
    public async Task RescoreAsync_Result_NamesScoreModelAndPathInTheDiff()
    {
        var result = await CompareAsync("Paris is the capital of France.", "The capital city of France is Paris.");

        Assert.Equal(ComparisonTier.Semantic, result.Tier);
        Assert.Contains("\"semantic\":{\"score\":", result.DiffSummaryJson, StringComparison.Ordinal);
        Assert.Contains(MiniLmEmbeddingOptions.ModelId, result.DiffSummaryJson, StringComparison.Ordinal);
        Assert.Contains("\"path\":\"content\"", result.DiffSummaryJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RescoreAsync_StructureDecided_Refused()
    {
        var lexical = Comparer.Compare(Answer("The answer is 42."), Answer("The answer is 43."));

        await Assert.ThrowsAsync<ArgumentException>(() => Scorer.RescoreAsync(lexical, Cutoffs));
    }

    [Fact]
    public async Task Compare_SimulatorParaphrase_Similar()
    {
        await using var primary = await SimulatedAnswers.StartAsync("openai", AnswerStyle.Verbatim);
        await using var candidate = await SimulatedAnswers.StartAsync("holysheep", AnswerStyle.Paraphrase);
        var verdicts = new List<(Verdict Verdict, ComparisonTier? Tier, double? Score)>();
        foreach (var prompt in SimulatedAnswers.Prompts)
        {
            var a = await SimulatedAnswers.AskAsync(primary, prompt);
            var b = await SimulatedAnswers.AskAsync(candidate, prompt);
            var result = await FinishAsync(Comparer.Compare(a, b));
            verdicts.Add((result.Verdict, result.Tier, result.Score));
        }

        Report("verbatim vs paraphrase", verdicts);
        var semantic = verdicts.Where(v => v.Tier == ComparisonTier.Semantic).ToList();
        Assert.True(semantic.Count >= verdicts.Count * 9 / 10, "paraphrases reach the semantic tier");
        // Measured: 53 of 65 match (81 %); the misses are facts regrouped into other paragraphs (see docs/comparison.md).
        Assert.True(verdicts.Count(v => v.Verdict <= Verdict.Similar) >= verdicts.Count * 3 / 4, "paraphrases match");
        Assert.True(semantic.Count(v => v.Verdict == Verdict.Similar) >= semantic.Count / 2, "mostly as similar, not equivalent");
    }

    [Fact]
    public async Task Compare_SimulatorDegradedAnswer_Different()
    {
        await using var primary = await SimulatedAnswers.StartAsync("openai", AnswerStyle.Verbatim);
        await using var candidate = await SimulatedAnswers.StartAsync("cheap", AnswerStyle.Paraphrase, degradedRate: 1.0);
        var verdicts = new List<(Verdict Verdict, ComparisonTier? Tier, double? Score)>();
        foreach (var prompt in SimulatedAnswers.Prompts)
        {
            var a = await SimulatedAnswers.AskAsync(primary, prompt);
            var b = await SimulatedAnswers.AskAsync(candidate, prompt);
            var result = await FinishAsync(Comparer.Compare(a, b));
            verdicts.Add((result.Verdict, result.Tier, result.Score));
        }

        Report("verbatim vs degraded", verdicts);
        Assert.True(verdicts.Count(v => v.Verdict == Verdict.Different) >= verdicts.Count * 95 / 100, "degraded answers are different");
    }

    private static async Task<ComparisonResult> CompareAsync(string primary, string candidate) =>
        await FinishAsync(Comparer.Compare(Answer(primary), Answer(candidate)));

    private static async Task<ComparisonResult> FinishAsync(ComparisonResult lexical) =>
        lexical.WantsSemantic ? (await Scorer.RescoreAsync(lexical, Cutoffs)).Result : lexical;

    private static ProviderAnswer Answer(string content) => new()
    {
        Status = 200,
        Kind = AnswerKind.Chat,
        Complete = true,
        Choices = [new ChoiceAnswer(0, content, "stop", [])],
    };

    private void Report(string name, List<(Verdict Verdict, ComparisonTier? Tier, double? Score)> verdicts)
    {
        var scores = verdicts.Where(v => v.Tier == ComparisonTier.Semantic).Select(v => v.Score!.Value).Order().ToList();
        string P(double q) => scores.Count == 0 ? "-" : scores[(int)Math.Min(scores.Count - 1, Math.Floor(q * scores.Count))].ToString("F3", CultureInfo.InvariantCulture);
        output.WriteLine($"{name}: {verdicts.Count} pairs; verdicts " + string.Join(", ", verdicts.GroupBy(v => v.Verdict).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"))
            + "; tiers " + string.Join(", ", verdicts.GroupBy(v => v.Tier).Select(g => $"{g.Key?.ToString() ?? "none"} {g.Count()}")));
        output.WriteLine($"  semantic scores: min {P(0)} p05 {P(0.05)} p25 {P(0.25)} p50 {P(0.5)} p75 {P(0.75)} max {P(0.9999)}");
    }
}
