using Migration.Core.OpenAI;

namespace Migration.Core.Comparison;

/// <summary>
/// The tiered, OpenAI-schema aware comparer. Fields that always differ (<c>id</c>, <c>created</c>,
/// <c>system_fingerprint</c>, the model name) are not looked at. Structure before prose; first decisive tier wins:
/// <list type="number">
/// <item>either side not a complete 2xx answer: <see cref="Verdict.Error"/> (score and tier null; the diff names the side and why);</item>
/// <item><b>structure</b> (<see cref="ComparisonTier.Structure"/>, score 0 when it decides): different statuses, kinds or
/// choice counts; per choice a different <c>finish_reason</c>, one side refusing (<c>refusal</c>) and not the other,
/// different tool call names or counts; tool call arguments and JSON-mode content (<c>response_format</c>
/// <c>json_object</c>/<c>json_schema</c>, or both sides JSON) compared as JSON: a different shape or scalar (numbers by
/// value, booleans, nulls), or invalid JSON on one side; in text, a different count of fenced code blocks or a code
/// block that differs beyond whitespace, and numbers (sign, decimals, units) one side has and the other lacks;</item>
/// <item><b>exact</b>: byte-equal text (score 1);</item>
/// <item><b>normalized</b>: equal after <see cref="TextNormalizer"/> (NFKC, case, whitespace, punctuation outside numbers),
/// code equal ignoring whitespace, JSON equal ignoring key order: <see cref="Verdict.Equivalent"/> (score 1);</item>
/// <item><b>lexical</b>: <see cref="LexicalSimilarity"/> at or above <see cref="ComparerOptions.SimilarThreshold"/> is
/// <see cref="Verdict.Similar"/>, below <see cref="Verdict.Different"/>. Such a result lists its prose pairs in
/// <see cref="ComparisonResult.SemanticPairs"/> for a semantic tier to re-score off the request path.</item>
/// </list>
/// Every free text is scored this way: the content's prose, JSON string values, tool argument string values and refusal
/// texts. With several parts (choices, values) the worst decides and its score is stored. Embedding answers are scored
/// by the cosine of the vectors (<see cref="ComparisonTier.Vector"/>). Usage differences go to the diff summary only.
/// Streamed and non-streamed answers compare alike.
/// </summary>
public sealed class DefaultResponseComparer : IResponseComparer
{
    private readonly ComparerOptions _options;

    /// <summary>Creates a comparer with the given (or default) options.</summary>
    public DefaultResponseComparer(ComparerOptions? options = null)
    {
        _options = options ?? new ComparerOptions();
    }

    /// <inheritdoc />
    public ComparisonResult Compare(ProviderAnswer primary, ProviderAnswer candidate) => Compare(primary, candidate, ComparisonContext.None);

    /// <inheritdoc />
    public ComparisonResult Compare(ProviderAnswer primary, ProviderAnswer candidate, ComparisonContext context)
    {
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(candidate);
        context ??= ComparisonContext.None;
        var run = new ComparisonRun(_options);
        var diff = run.Diff;
        if (!primary.IsSuccess || !candidate.IsSuccess)
        {
            diff.Status = (primary.Status, candidate.Status);
            diff.PrimaryError = primary.IsSuccess ? null : Describe(primary);
            diff.CandidateError = candidate.IsSuccess ? null : Describe(candidate);
            return new ComparisonResult(Verdict.Error, null, diff.ToJson());
        }

        var result = PartResult.Exact;
        if (primary.Status != candidate.Status)
        {
            diff.Status = (primary.Status, candidate.Status);
            result = PartResult.StructureDifferent;
        }

        if (primary.Kind == AnswerKind.Embeddings || candidate.Kind == AnswerKind.Embeddings)
        {
            if (primary.Kind != candidate.Kind)
            {
                diff.Kind = (primary.Kind.ToString(), candidate.Kind.ToString());
                result = PartResult.StructureDifferent;
            }
            else
            {
                result = PartResult.Worst(result, CompareEmbeddings(primary.Embeddings, candidate.Embeddings, diff));
            }
        }
        else
        {
            result = PartResult.Worst(result, CompareChat(primary.Choices, candidate.Choices, context, run));
        }

        if (_options.CompareUsage
            && (primary.Usage?.PromptTokens != candidate.Usage?.PromptTokens || primary.Usage?.CompletionTokens != candidate.Usage?.CompletionTokens))
        {
            diff.Usage = (primary.Usage, candidate.Usage);
        }

        return new ComparisonResult(result.Verdict, result.Score, diff.ToJson())
        {
            Tier = result.Tier,
            SemanticPairs = result.Tier == ComparisonTier.Lexical ? run.LexicalPairs : Array.Empty<TextPair>(),
        };
    }

    private static PartResult CompareChat(IReadOnlyList<ChoiceAnswer> primary, IReadOnlyList<ChoiceAnswer> candidate, ComparisonContext context, ComparisonRun run)
    {
        var diff = run.Diff;
        var result = PartResult.Exact;
        if (primary.Count != candidate.Count)
        {
            diff.Choices = (primary.Count, candidate.Count);
            result = PartResult.StructureDifferent;
        }

        var pairs = Math.Min(primary.Count, candidate.Count);
        for (var i = 0; i < pairs; i++)
        {
            var p = primary[i];
            var c = candidate[i];
            var prefix = pairs > 1 ? "choice " + p.Index + ": " : string.Empty;
            if (!string.Equals(p.FinishReason, c.FinishReason, StringComparison.Ordinal))
            {
                diff.FinishReason ??= (p.FinishReason, c.FinishReason);
                result = PartResult.Worst(result, PartResult.StructureDifferent);
            }

            result = PartResult.Worst(result, CompareRefusal(p.Refusal, c.Refusal, prefix, run));
            result = PartResult.Worst(result, CompareToolCalls(p.ToolCalls, c.ToolCalls, prefix, run));
            result = PartResult.Worst(result, CompareContent(p.Content, c.Content, prefix + "content", context, run));
        }

        return result;
    }

    private static PartResult CompareRefusal(string? primary, string? candidate, string prefix, ComparisonRun run)
    {
        var p = string.IsNullOrEmpty(primary) ? null : primary;
        var c = string.IsNullOrEmpty(candidate) ? null : candidate;
        if (p is null && c is null)
        {
            return PartResult.Exact;
        }

        if (p is null || c is null)
        {
            run.Diff.Refusal ??= (p, c);
            return PartResult.StructureDifferent;
        }

        var part = TextTiers.Compare(p, c, prefix + "refusal", run);
        if (part.Verdict != Verdict.Exact)
        {
            run.Diff.Refusal ??= (p, c);
        }

        return part;
    }

    private static PartResult CompareContent(string? primary, string? candidate, string path, ComparisonContext context, ComparisonRun run)
    {
        if (string.Equals(primary ?? string.Empty, candidate ?? string.Empty, StringComparison.Ordinal))
        {
            return PartResult.Exact;
        }

        var jsonMode = context.ResponseFormat != ResponseFormatKind.Text;
        if (jsonMode || (JsonTiers.LooksLikeJson(primary) && JsonTiers.LooksLikeJson(candidate)))
        {
            using var a = JsonTiers.TryParse(primary);
            using var b = JsonTiers.TryParse(candidate);
            if (a is not null && b is not null)
            {
                return JsonTiers.Compare(a.RootElement, b.RootElement, path, run, problem => run.Diff.AddJson(problem));
            }

            if (jsonMode && (a is not null || b is not null))
            {
                run.Diff.AddJson((a is null ? "primary" : "candidate") + " content is not valid JSON");
                return PartResult.StructureDifferent;
            }
        }

        return TextTiers.Compare(primary, candidate, path, run);
    }

    private static PartResult CompareToolCalls(IReadOnlyList<ToolCallAnswer> primary, IReadOnlyList<ToolCallAnswer> candidate, string prefix, ComparisonRun run)
    {
        var diff = run.Diff;
        if (primary.Count != candidate.Count)
        {
            diff.ToolCalls ??= prefix + "count " + primary.Count + " vs " + candidate.Count;
            return PartResult.StructureDifferent;
        }

        var result = PartResult.Exact;
        for (var i = 0; i < primary.Count; i++)
        {
            var p = primary[i];
            var c = candidate[i];
            if (!string.Equals(p.Name, c.Name, StringComparison.Ordinal))
            {
                diff.ToolCalls ??= prefix + "name " + p.Name + " vs " + c.Name;
                return PartResult.StructureDifferent;
            }

            if (string.Equals(p.Arguments, c.Arguments, StringComparison.Ordinal))
            {
                continue;
            }

            using var a = JsonTiers.TryParse(p.Arguments);
            using var b = JsonTiers.TryParse(c.Arguments);
            PartResult part;
            if (a is not null && b is not null)
            {
                var problems = new List<string>();
                part = JsonTiers.Compare(a.RootElement, b.RootElement, prefix + "tool " + p.Name, run, problems.Add);
                if (problems.Count > 0)
                {
                    diff.ToolCalls ??= prefix + "arguments of " + p.Name + " differ: " + string.Join("; ", problems);
                }
                else if (part.Verdict > Verdict.Equivalent)
                {
                    diff.ToolCalls ??= prefix + "arguments of " + p.Name + " differ in text";
                }
            }
            else if (a is null && b is null)
            {
                // Neither is JSON: only surrounding whitespace may differ.
                part = string.Equals(p.Arguments.Trim(), c.Arguments.Trim(), StringComparison.Ordinal) ? PartResult.Equivalent : PartResult.StructureDifferent;
                if (part.Verdict == Verdict.Different)
                {
                    diff.ToolCalls ??= prefix + "arguments of " + p.Name + " differ (not JSON)";
                }
            }
            else
            {
                diff.ToolCalls ??= prefix + "arguments of " + p.Name + ": " + (a is null ? "primary" : "candidate") + " sent invalid JSON";
                part = PartResult.StructureDifferent;
            }

            result = PartResult.Worst(result, part);
        }

        return result;
    }

    private PartResult CompareEmbeddings(IReadOnlyList<float[]> primary, IReadOnlyList<float[]> candidate, ComparisonDiff diff)
    {
        if (primary.Count != candidate.Count)
        {
            diff.Embeddings = (primary.Count, candidate.Count);
            return PartResult.StructureDifferent;
        }

        var min = 1.0;
        var identical = true;
        for (var i = 0; i < primary.Count; i++)
        {
            if (primary[i].Length != candidate[i].Length)
            {
                diff.Dimensions = (primary[i].Length, candidate[i].Length);
                return PartResult.StructureDifferent;
            }

            if (!primary[i].AsSpan().SequenceEqual(candidate[i]))
            {
                identical = false;
                min = Math.Min(min, Cosine(primary[i], candidate[i]));
            }
        }

        if (identical)
        {
            return PartResult.Exact;
        }

        var score = Math.Clamp(min, 0, 1);
        var verdict = score >= _options.EmbeddingExactCosine ? Verdict.Exact
            : score >= _options.EmbeddingEquivalentCosine ? Verdict.Equivalent
            : score >= _options.SimilarThreshold ? Verdict.Similar
            : Verdict.Different;
        if (verdict != Verdict.Exact)
        {
            diff.Cosine = score;
        }

        return new PartResult(verdict, ComparisonTier.Vector, score);
    }

    internal static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }

        if (na == 0 || nb == 0)
        {
            return na == nb ? 1.0 : 0.0;
        }

        return dot / (Math.Sqrt(na) * Math.Sqrt(nb));
    }

    private static string Describe(ProviderAnswer answer)
    {
        if (answer.Status == 0)
        {
            return answer.Error ?? "no response";
        }

        if (answer.Error is not null)
        {
            return answer.Status is >= 200 and < 300 ? answer.Error : "HTTP " + answer.Status + ": " + TrimPrefix(answer.Error, answer.Status);
        }

        return answer.Complete ? "HTTP " + answer.Status : "incomplete answer";
    }

    private static string TrimPrefix(string error, int status)
    {
        var prefix = "HTTP " + status + ": ";
        return error.StartsWith(prefix, StringComparison.Ordinal) ? error[prefix.Length..] : error;
    }
}
