using System.Diagnostics;
using System.Globalization;
using Migration.Core.Comparison;
using Migration.Core.OpenAI;
using Migration.Load.Hosting;
using Migration.Load.Reports;
using Migration.Load.Scenarios;
using Migration.Semantic.Local;

namespace Migration.Load.Calibration;

/// <summary>
/// <c>comparison</c>: calibration of the response comparer on the labelled set (<see cref="CalibrationSet"/>).
/// Three scorers over every pair: <c>lexical</c> (<see cref="DefaultResponseComparer"/> as it runs in the shadow worker:
/// structure, exact, normalised, lexical), <c>embedding</c> (raw cosine of the two whole texts, all-MiniLM-L6-v2) and
/// <c>lexical+semantic</c> (the comparer, then the cosine of each prose pair it hands to a semantic tier, the lowest
/// deciding; structure verdicts stay). Spearman against the graded label, F1 of flagging "different" at the
/// configured threshold and at the best one, per category and kind; then the CPU cost of semantic scoring in this
/// process (pairs per core-second, one ONNX thread).
/// </summary>
internal sealed class ComparisonScenario : ILoadScenario
{
    /// <summary>The cut-off the semantic tier starts with for all-MiniLM-L6-v2 (placeholder until this scenario measured it).</summary>
    public const double SemanticThreshold = 0.80;

    public string Name => "comparison";

    public string Description => "comparer calibration on the labelled set: Spearman and F1 of lexical vs semantic tier, semantic pairs per core-second";

    public async Task<ScenarioReport> RunAsync(LoadLab lab)
    {
        var ct = lab.CancellationToken;
        var pairs = CalibrationSet.Load();
        var options = new ComparerOptions();
        var comparer = new DefaultResponseComparer(options);
        using var generator = new MiniLmEmbeddingGenerator(new MiniLmEmbeddingOptions { IntraOpNumThreads = 1 });

        var results = pairs.Select(p => comparer.Compare(Chat(p.A), Chat(p.B))).ToList();
        var texts = pairs.SelectMany(p => new[] { p.A, p.B })
            .Concat(results.SelectMany(r => r.SemanticPairs).SelectMany(t => new[] { t.Primary, t.Candidate }))
            .Distinct(StringComparer.Ordinal).ToList();
        var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var embedded = await generator.GenerateAsync(texts, cancellationToken: ct).ConfigureAwait(false);
        for (var i = 0; i < texts.Count; i++)
        {
            vectors[texts[i]] = embedded[i].Vector.ToArray();
        }

        var lexical = results.Select(r => r.Score ?? 0).ToList();
        var cosine = pairs.Select(p => Cosine(vectors[p.A], vectors[p.B])).ToList();
        var tiered = results.Select((r, i) => r.WantsSemantic ? r.SemanticPairs.Min(t => Cosine(vectors[t.Primary], vectors[t.Candidate])) : lexical[i]).ToList();

        var report = new ScenarioReport { Scenario = Name };
        report.Config["pairs"] = pairs.Count;
        report.Config["pairsSame"] = pairs.Count(p => p.Same);
        report.Config["categories"] = string.Join(", ", pairs.Select(p => p.Category).Distinct());
        report.Config["model"] = MiniLmEmbeddingOptions.ModelId;
        report.Config["lexicalThreshold"] = options.SimilarThreshold;
        report.Config["semanticThreshold"] = SemanticThreshold;
        report.Config["machine"] = MachineInfo.Describe();
        var same = pairs.Select(p => p.Same).ToList();
        var grades = pairs.Select(p => p.Grade).ToList();
        var scorers = new (string Name, List<double> Scores, double Threshold)[]
        {
            ("lexical", lexical, options.SimilarThreshold),
            ("embedding", cosine, SemanticThreshold),
            ("lexical+semantic", tiered, SemanticThreshold),
        };
        var rows = new List<string>();
        foreach (var (name, scores, threshold) in scorers)
        {
            var rho = RankStatistics.Spearman(scores, grades);
            var atThreshold = RankStatistics.F1Different(scores, same, threshold);
            var (bestThreshold, best) = RankStatistics.BestThreshold(scores, same);
            report.Ratios["spearman." + name] = Round(rho);
            report.Ratios["f1." + name] = Round(atThreshold.F1);
            report.Ratios["precision." + name] = Round(atThreshold.Precision);
            report.Ratios["recall." + name] = Round(atThreshold.Recall);
            report.Ratios["bestThreshold." + name] = Round(bestThreshold);
            report.Ratios["macroF1." + name] = Round(atThreshold.MacroF1);
            report.Ratios["bestMacroF1." + name] = Round(best.MacroF1);
            rows.Add(Invariant($"{name}: Spearman {rho:0.000}; at {threshold:0.00}: F1 {atThreshold.F1:0.000}, macro F1 {atThreshold.MacroF1:0.000} (precision {atThreshold.Precision:0.000}, recall {atThreshold.Recall:0.000}, {atThreshold.FalsePositives} same pairs flagged, {atThreshold.FalseNegatives} different pairs missed); best threshold {bestThreshold:0.000} (macro F1 {best.MacroF1:0.000}, F1 {best.F1:0.000})"));
        }

        foreach (var group in Groups(pairs))
        {
            var index = group.Indexes;
            var parts = new List<string>();
            foreach (var (name, scores, threshold) in scorers)
            {
                var s = index.Select(i => scores[i]).ToList();
                var f1 = RankStatistics.F1Different(s, index.Select(i => same[i]).ToList(), threshold);
                report.Ratios["accuracy." + name + "." + group.Name] = Round(f1.Accuracy);
                parts.Add(Invariant($"{name} {f1.Accuracy:0.00}"));
            }

            rows.Add(Invariant($"{group.Name} ({index.Count} pairs) accuracy: {string.Join(", ", parts)}"));
        }

        var cost = MeasureCost(generator, comparer, pairs, lab.Settings.Quick ? 40 : pairs.Count, ct);
        report.Ratios["semanticPairsPerCoreSecond"] = Math.Round(cost.SemanticPairsPerCoreSecond, 1);
        report.Ratios["lexicalPairsPerCoreSecond"] = Math.Round(cost.LexicalPairsPerCoreSecond, 0);
        report.Ratios["semanticCpuMsPerPair"] = Math.Round(1000 / cost.SemanticPairsPerCoreSecond, 2);
        report.Config["costPairs"] = cost.Pairs;

        report.Goals.Add(GoalResult.AtLeast("Spearman lexical+semantic - lexical", report.Ratios["spearman.lexical+semantic"] - report.Ratios["spearman.lexical"], 0));
        report.Goals.Add(GoalResult.AtLeast("macro F1 lexical+semantic - lexical (at the thresholds)", report.Ratios["macroF1.lexical+semantic"] - report.Ratios["macroF1.lexical"], 0));
        report.Goals.Add(GoalResult.NotRun("harness CPU s per shadowed request, semantic on / off", "semantic tier in the shadow worker (not on main yet)"));
        foreach (var row in rows)
        {
            report.AddNote(row);
        }

        report.AddNote(Invariant($"cost: {cost.SemanticPairsPerCoreSecond:0.0} semantic pairs per core-second ({1000 / cost.SemanticPairsPerCoreSecond:0.0} ms CPU each, both sides embedded, no cache, one ONNX thread) vs {cost.LexicalPairsPerCoreSecond:0} lexical comparisons per core-second, over {cost.Pairs} pairs of the set (mean {cost.MeanChars:0} characters per side)."));
        report.AddNote("lexical+semantic here scores each prose pair by the cosine of its two whole texts (the semantic tier's paragraph-wise scoring is not on main yet); 'different' is the positive class of F1.");
        report.AddNote("no public human-labelled set (STS-B, MRPC, PAWS, SICK) could be obtained here: none is in the package registries reachable from this machine; the figures are on the project's own set only.");
        await lab.Log.WriteLineAsync(string.Join(Environment.NewLine, rows)).ConfigureAwait(false);
        return report;
    }

    internal static ProviderAnswer Chat(string content) => new()
    {
        Status = 200,
        Kind = AnswerKind.Chat,
        Complete = true,
        Choices = [new ChoiceAnswer(0, content, "stop", [])],
    };

    internal static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }

        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }

    private static IEnumerable<(string Name, List<int> Indexes)> Groups(IReadOnlyList<CalibrationPair> pairs)
    {
        foreach (var category in pairs.Select(p => p.Category).Distinct().Order(StringComparer.Ordinal))
        {
            yield return ("category " + category, Enumerable.Range(0, pairs.Count).Where(i => pairs[i].Category == category).ToList());
        }

        foreach (var kind in pairs.Select(p => p.Kind).Distinct().Order(StringComparer.Ordinal))
        {
            yield return ("kind " + kind, Enumerable.Range(0, pairs.Count).Where(i => pairs[i].Kind == kind).ToList());
        }
    }

    private static Cost MeasureCost(MiniLmEmbeddingGenerator generator, DefaultResponseComparer comparer, IReadOnlyList<CalibrationPair> pairs, int count, CancellationToken ct)
    {
        var sample = pairs.Take(count).ToList();
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var before = process.TotalProcessorTime;
        foreach (var pair in sample)
        {
            ct.ThrowIfCancellationRequested();
            _ = generator.GenerateAsync([pair.A, pair.B], cancellationToken: ct).GetAwaiter().GetResult();
        }

        process.Refresh();
        var semanticCpu = (process.TotalProcessorTime - before).TotalSeconds;
        before = process.TotalProcessorTime;
        var lexicalCount = 0;
        for (var round = 0; round < 20; round++)
        {
            foreach (var pair in sample)
            {
                _ = comparer.Compare(Chat(pair.A), Chat(pair.B));
                lexicalCount++;
            }
        }

        process.Refresh();
        var lexicalCpu = (process.TotalProcessorTime - before).TotalSeconds;
        return new Cost(sample.Count, sample.Count / Math.Max(semanticCpu, 1e-6), lexicalCount / Math.Max(lexicalCpu, 1e-6), sample.Average(p => (p.A.Length + p.B.Length) / 2.0));
    }

    private static double Round(double value) => double.IsNaN(value) ? value : Math.Round(value, 4);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record Cost(int Pairs, double SemanticPairsPerCoreSecond, double LexicalPairsPerCoreSecond, double MeanChars);
}
