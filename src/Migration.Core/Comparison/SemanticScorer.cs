using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace Migration.Core.Comparison;

/// <summary>
/// The semantic tier: scores prose by the cosine of sentence embeddings from any
/// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> (the local all-MiniLM-L6-v2 of <c>Migration.Semantic</c>, a remote
/// <c>/v1/embeddings</c>, your own).
/// </summary>
/// <remarks>
/// <para><b>Long answers.</b> A text is split into paragraphs (at blank lines); each paragraph is embedded on its own
/// (a paragraph longer than the model's window is windowed by the generator; very short paragraphs are joined to a
/// neighbour, see <see cref="Paragraphs"/>). The score of a pair is the lowest, over every paragraph of <i>both</i>
/// sides, of that paragraph's best cosine against the other side's paragraphs and the other side's whole text. So an
/// answer whose last paragraph says something else scores as low as that paragraph, not as the average of a long
/// agreeing text, while reordered paragraphs, and facts regrouped into other paragraphs or lists, still match. Both
/// directions count: a paragraph only one side has is found either way. A side with no prose scores 0 against a
/// side with some.</para>
/// <para><b>What it never sees.</b> Only the pairs the lexical tier decided (<see cref="ComparisonResult.SemanticPairs"/>)
/// are re-scored: a verdict fixed by structure (a changed number, sign or decimal, code, JSON shape, finish reason)
/// stays <see cref="Verdict.Different"/> whatever the embeddings say.</para>
/// </remarks>
public sealed partial class SemanticScorer
{
    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;

    /// <summary>Creates a scorer over <paramref name="generator"/>.</summary>
    public SemanticScorer(IEmbeddingGenerator<string, Embedding<float>> generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        _generator = generator;
        ModelId = generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId is { Length: > 0 } id ? id : UnknownModel;
    }

    /// <summary>The model id used when the generator names none.</summary>
    public const string UnknownModel = "unknown";

    /// <summary>The generator's model id (its metadata's default model id): the key of its cut-offs.</summary>
    public string ModelId { get; }

    /// <summary>
    /// The paragraphs a text is scored by: split at blank lines, trimmed, none empty; a paragraph of fewer than
    /// <see cref="MinParagraphWords"/> words (a heading, "Here are the steps:", an answer cut by <c>max_tokens</c>) is
    /// joined to the one before it (the first to the one after it).
    /// </summary>
    public static IReadOnlyList<string> Paragraphs(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<string>();
        var pendingShort = (string?)null;
        foreach (var part in BlankLine().Split(text))
        {
            var trimmed = part.Trim();
            if (trimmed.Length == 0)
            {
                continue;
            }

            if (pendingShort is not null)
            {
                trimmed = pendingShort + "\n" + trimmed;
                pendingShort = null;
            }

            if (WordCount(trimmed) >= MinParagraphWords)
            {
                result.Add(trimmed);
            }
            else if (result.Count > 0)
            {
                result[^1] += "\n" + trimmed;
            }
            else
            {
                pendingShort = trimmed;
            }
        }

        if (pendingShort is not null)
        {
            result.Add(pendingShort);
        }

        return result;
    }

    /// <summary>Paragraphs with fewer words are joined to a neighbour (see <see cref="Paragraphs"/>).</summary>
    public const int MinParagraphWords = 20;

    private static int WordCount(string text)
    {
        var count = 0;
        var inWord = false;
        foreach (var c in text)
        {
            var letter = char.IsLetterOrDigit(c);
            if (letter && !inWord)
            {
                count++;
            }

            inWord = letter;
        }

        return count;
    }

    /// <summary>The chunked cosine of two texts (see the remarks of <see cref="SemanticScorer"/>).</summary>
    public async Task<SemanticScore> ScoreAsync(string primary, string candidate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(candidate);
        var (scores, _) = await ScorePairsAsync([(primary, candidate)], cancellationToken).ConfigureAwait(false);
        return scores[0];
    }

    /// <summary>
    /// Re-scores a comparison the lexical tier decided: every pair of <see cref="ComparisonResult.SemanticPairs"/> gets
    /// its chunked cosine, judged by <paramref name="cutoffs"/>; the worst pair decides and its score is the result's.
    /// </summary>
    /// <exception cref="ArgumentException">The comparison has nothing to re-score (<see cref="ComparisonResult.WantsSemantic"/> is false).</exception>
    public async Task<SemanticOutcome> RescoreAsync(ComparisonResult comparison, SemanticCutoffs cutoffs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        ArgumentNullException.ThrowIfNull(cutoffs);
        if (!comparison.WantsSemantic)
        {
            throw new ArgumentException("Only a comparison the lexical tier decided can be re-scored (WantsSemantic is false).", nameof(comparison));
        }

        var pairs = comparison.SemanticPairs;
        var (scores, tokens) = await ScorePairsAsync(pairs.Select(p => (p.Primary, p.Candidate)).ToList(), cancellationToken).ConfigureAwait(false);
        var lowest = 0;
        for (var i = 1; i < scores.Count; i++)
        {
            if (scores[i].Score < scores[lowest].Score)
            {
                lowest = i;
            }
        }

        var score = scores[lowest].Score;
        var result = comparison with
        {
            Verdict = cutoffs.VerdictOf(score),
            Score = score,
            Tier = ComparisonTier.Semantic,
            DiffSummaryJson = WithSemantic(comparison.DiffSummaryJson, score, ModelId, pairs[lowest].Path),
        };
        return new SemanticOutcome(result, ModelId, tokens);
    }

    private async Task<(List<SemanticScore> Scores, long? Tokens)> ScorePairsAsync(IReadOnlyList<(string Primary, string Candidate)> pairs, CancellationToken cancellationToken)
    {
        // One generator call for every distinct chunk of every pair.
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var inputs = new List<string>();
        var split = new List<(Chunks A, Chunks B)>(pairs.Count);
        foreach (var (a, b) in pairs)
        {
            split.Add((Split(a), Split(b)));
        }

        long? tokens = null;
        var vectors = new List<ReadOnlyMemory<float>>(inputs.Count);
        if (inputs.Count > 0)
        {
            var embeddings = await _generator.GenerateAsync(inputs, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (embeddings.Count != inputs.Count)
            {
                throw new InvalidOperationException($"The embedding generator returned {embeddings.Count} vectors for {inputs.Count} inputs.");
            }

            vectors.AddRange(embeddings.Select(e => e.Vector));
            tokens = embeddings.Usage?.InputTokenCount;
        }

        var scores = new List<SemanticScore>(pairs.Count);
        foreach (var (a, b) in split)
        {
            scores.Add(new SemanticScore(Chunked(a, b, vectors), a.Paragraphs.Length + b.Paragraphs.Length));
        }

        return (scores, tokens);

        Chunks Split(string text)
        {
            var paragraphs = Paragraphs(text);
            var at = new int[paragraphs.Count];
            for (var i = 0; i < paragraphs.Count; i++)
            {
                at[i] = Add(paragraphs[i]);
            }

            return new Chunks(at, paragraphs.Count > 1 ? Add(string.Join("\n\n", paragraphs)) : -1);
        }

        int Add(string chunk)
        {
            if (!index.TryGetValue(chunk, out var at))
            {
                at = inputs.Count;
                index.Add(chunk, at);
                inputs.Add(chunk);
            }

            return at;
        }
    }

    /// <summary>
    /// The lowest, over the paragraphs of both sides, of a paragraph's best cosine against the other side's paragraphs
    /// and the other side's whole text (so content regrouped into other paragraphs still finds its match).
    /// </summary>
    private static double Chunked(Chunks a, Chunks b, List<ReadOnlyMemory<float>> vectors)
    {
        if (a.Paragraphs.Length == 0 || b.Paragraphs.Length == 0)
        {
            return a.Paragraphs.Length == b.Paragraphs.Length ? 1.0 : 0.0;
        }

        var min = Math.Min(Lowest(a, b), Lowest(b, a));
        return Math.Clamp(min, 0.0, 1.0);

        double Lowest(Chunks from, Chunks to)
        {
            var lowest = 1.0;
            foreach (var p in from.Paragraphs)
            {
                var best = to.Whole >= 0 ? Cosine(p, to.Whole) : double.MinValue;
                foreach (var q in to.Paragraphs)
                {
                    best = Math.Max(best, Cosine(p, q));
                }

                lowest = Math.Min(lowest, best);
            }

            return lowest;
        }

        double Cosine(int x, int y) => x == y ? 1.0 : DefaultResponseComparer.Cosine(vectors[x].Span, vectors[y].Span);
    }

    /// <summary>A text's chunks: indexes of its paragraphs' vectors and of its whole text's (-1 for one paragraph).</summary>
    private readonly record struct Chunks(int[] Paragraphs, int Whole);

    private static string WithSemantic(string? diffJson, double score, string modelId, string path)
    {
        var diff = diffJson is null ? new JsonObject() : JsonNode.Parse(diffJson) as JsonObject ?? new JsonObject();
        diff["semantic"] = new JsonObject
        {
            ["score"] = Math.Round(score, 4),
            ["model"] = modelId,
            ["path"] = path,
        };
        return diff.ToJsonString();
    }

    [GeneratedRegex(@"\n[ \t]*\r?\n", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex BlankLine();
}
