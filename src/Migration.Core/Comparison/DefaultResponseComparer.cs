using System.Buffers;
using System.Text.Json;
using Migration.Core.OpenAI;

namespace Migration.Core.Comparison;

/// <summary>
/// The tiered, OpenAI-schema aware comparer. Fields that always differ (<c>id</c>, <c>created</c>,
/// <c>system_fingerprint</c>, the model name) are not looked at. Tiers, first decisive one wins:
/// <list type="number">
/// <item>either side not a complete 2xx answer: <see cref="Verdict.Error"/> (score null; the diff names the side and why);</item>
/// <item>different statuses, kinds or choice counts: <see cref="Verdict.Different"/>;</item>
/// <item>per choice: a different <c>finish_reason</c>, different tool call names, or tool call arguments that
/// are not equal as JSON (key order and whitespace ignored): <see cref="Verdict.Different"/>;</item>
/// <item>content byte for byte equal (and tool call arguments byte-equal): <see cref="Verdict.Exact"/>;
/// equal after <see cref="TextNormalizer"/> (NFKC, case, punctuation, whitespace) or arguments equal only as
/// JSON: <see cref="Verdict.Equivalent"/>; else the lexical score (<see cref="LexicalSimilarity"/>) at or above
/// <see cref="ComparerOptions.SimilarThreshold"/>: <see cref="Verdict.Similar"/>, below: <see cref="Verdict.Different"/>.</item>
/// </list>
/// With several choices the worst choice decides and the score is the lowest. Embeddings are scored by cosine
/// similarity. Usage differences go to the diff summary only. Streamed and non-streamed answers compare alike.
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
    public ComparisonResult Compare(ProviderAnswer primary, ProviderAnswer candidate)
    {
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(candidate);
        var diff = new Diff();
        if (!primary.IsSuccess || !candidate.IsSuccess)
        {
            diff.Status = (primary.Status, candidate.Status);
            diff.PrimaryError = primary.IsSuccess ? null : Describe(primary);
            diff.CandidateError = candidate.IsSuccess ? null : Describe(candidate);
            return new ComparisonResult(Verdict.Error, null, diff.ToJson());
        }

        var verdict = Verdict.Exact;
        if (primary.Status != candidate.Status)
        {
            diff.Status = (primary.Status, candidate.Status);
            verdict = Verdict.Different;
        }

        double score;
        if (primary.Kind == AnswerKind.Embeddings || candidate.Kind == AnswerKind.Embeddings)
        {
            if (primary.Kind != candidate.Kind)
            {
                diff.Kind = (primary.Kind.ToString(), candidate.Kind.ToString());
                verdict = Verdict.Different;
                score = 0;
            }
            else
            {
                var (v, s) = CompareEmbeddings(primary.Embeddings, candidate.Embeddings, diff);
                verdict = Worst(verdict, v);
                score = s;
            }
        }
        else
        {
            var (v, s) = CompareChat(primary.Choices, candidate.Choices, diff);
            verdict = Worst(verdict, v);
            score = s;
        }

        if (_options.CompareUsage
            && (primary.Usage?.PromptTokens != candidate.Usage?.PromptTokens || primary.Usage?.CompletionTokens != candidate.Usage?.CompletionTokens))
        {
            diff.Usage = (primary.Usage, candidate.Usage);
        }

        return new ComparisonResult(verdict, score, diff.ToJson());
    }

    private (Verdict Verdict, double Score) CompareChat(IReadOnlyList<ChoiceAnswer> primary, IReadOnlyList<ChoiceAnswer> candidate, Diff diff)
    {
        var verdict = Verdict.Exact;
        if (primary.Count != candidate.Count)
        {
            diff.Choices = (primary.Count, candidate.Count);
            verdict = Verdict.Different;
        }

        var pairs = Math.Min(primary.Count, candidate.Count);
        var score = pairs == 0 && primary.Count != candidate.Count ? 0.0 : 1.0;
        for (var i = 0; i < pairs; i++)
        {
            var p = primary[i];
            var c = candidate[i];
            var prefix = pairs > 1 ? "choice " + p.Index + ": " : string.Empty;
            if (!string.Equals(p.FinishReason, c.FinishReason, StringComparison.Ordinal))
            {
                diff.FinishReason ??= (p.FinishReason, c.FinishReason);
                verdict = Verdict.Different;
            }

            var tools = CompareToolCalls(p.ToolCalls, c.ToolCalls, out var toolDiff);
            if (toolDiff is not null)
            {
                diff.ToolCalls ??= prefix + toolDiff;
            }

            verdict = Worst(verdict, tools);

            var (contentVerdict, contentScore) = CompareContent(p.Content, c.Content);
            if (contentVerdict != Verdict.Exact)
            {
                diff.ContentScore = Math.Min(diff.ContentScore ?? 1.0, contentScore);
            }

            verdict = Worst(verdict, contentVerdict);
            score = Math.Min(score, contentScore);
        }

        return (verdict, score);
    }

    private (Verdict Verdict, double Score) CompareContent(string? primary, string? candidate)
    {
        // A tool-call-only answer has null content, a streamed one often "": the same thing.
        primary ??= string.Empty;
        candidate ??= string.Empty;
        if (string.Equals(primary, candidate, StringComparison.Ordinal))
        {
            return (Verdict.Exact, 1.0);
        }

        var a = TextNormalizer.Normalize(primary);
        var b = TextNormalizer.Normalize(candidate);
        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return (Verdict.Equivalent, 1.0);
        }

        var score = LexicalSimilarity.Score(a, b, _options.ShortTextChars);
        // A score of 1.0 after normalisation would have been equal; keep "similar" strictly below "equivalent".
        score = Math.Min(score, 0.9999);
        return (score >= _options.SimilarThreshold ? Verdict.Similar : Verdict.Different, score);
    }

    private static Verdict CompareToolCalls(IReadOnlyList<ToolCallAnswer> primary, IReadOnlyList<ToolCallAnswer> candidate, out string? difference)
    {
        difference = null;
        if (primary.Count != candidate.Count)
        {
            difference = "count " + primary.Count + " vs " + candidate.Count;
            return Verdict.Different;
        }

        var verdict = Verdict.Exact;
        for (var i = 0; i < primary.Count; i++)
        {
            var p = primary[i];
            var c = candidate[i];
            if (!string.Equals(p.Name, c.Name, StringComparison.Ordinal))
            {
                difference = "name " + p.Name + " vs " + c.Name;
                return Verdict.Different;
            }

            if (string.Equals(p.Arguments, c.Arguments, StringComparison.Ordinal))
            {
                continue;
            }

            if (JsonTextEquals(p.Arguments, c.Arguments))
            {
                verdict = Verdict.Equivalent;
                continue;
            }

            difference = "arguments of " + p.Name + " differ";
            return Verdict.Different;
        }

        return verdict;
    }

    /// <summary>Equal as JSON values (object key order, whitespace and number spelling ignored).</summary>
    internal static bool JsonTextEquals(string a, string b)
    {
        JsonDocument? da = null, db = null;
        try
        {
            da = JsonDocument.Parse(a);
            db = JsonDocument.Parse(b);
            return JsonElement.DeepEquals(da.RootElement, db.RootElement);
        }
        catch (JsonException)
        {
            // Not both JSON: only surrounding whitespace may differ.
            return string.Equals(a.Trim(), b.Trim(), StringComparison.Ordinal);
        }
        finally
        {
            da?.Dispose();
            db?.Dispose();
        }
    }

    private (Verdict Verdict, double Score) CompareEmbeddings(IReadOnlyList<float[]> primary, IReadOnlyList<float[]> candidate, Diff diff)
    {
        if (primary.Count != candidate.Count)
        {
            diff.Embeddings = (primary.Count, candidate.Count);
            return (Verdict.Different, 0);
        }

        var min = 1.0;
        for (var i = 0; i < primary.Count; i++)
        {
            if (primary[i].Length != candidate[i].Length)
            {
                diff.Dimensions = (primary[i].Length, candidate[i].Length);
                return (Verdict.Different, 0);
            }

            min = Math.Min(min, primary[i].AsSpan().SequenceEqual(candidate[i]) ? 1.0 : Cosine(primary[i], candidate[i]));
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

        return (verdict, score);
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

    private static Verdict Worst(Verdict a, Verdict b) => (Verdict)Math.Max((int)a, (int)b);

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

    /// <summary>What differs; written as a compact JSON object with camelCase names.</summary>
    private sealed class Diff
    {
        public (int Primary, int Candidate)? Status { get; set; }

        public string? PrimaryError { get; set; }

        public string? CandidateError { get; set; }

        public (string Primary, string Candidate)? Kind { get; set; }

        public (int Primary, int Candidate)? Choices { get; set; }

        public (string? Primary, string? Candidate)? FinishReason { get; set; }

        public string? ToolCalls { get; set; }

        public double? ContentScore { get; set; }

        public (int Primary, int Candidate)? Embeddings { get; set; }

        public (int Primary, int Candidate)? Dimensions { get; set; }

        public double? Cosine { get; set; }

        public (TokenUsage? Primary, TokenUsage? Candidate)? Usage { get; set; }

        public string? ToJson()
        {
            if (Status is null && PrimaryError is null && CandidateError is null && Kind is null && Choices is null
                && FinishReason is null && ToolCalls is null && ContentScore is null && Embeddings is null
                && Dimensions is null && Cosine is null && Usage is null)
            {
                return null;
            }

            var buffer = new ArrayBufferWriter<byte>(256);
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                if (PrimaryError is not null || CandidateError is not null)
                {
                    w.WriteStartObject("error");
                    WriteOptional(w, "primary", PrimaryError);
                    WriteOptional(w, "candidate", CandidateError);
                    w.WriteEndObject();
                }

                WritePair(w, "status", Status);
                if (Kind is { } kind)
                {
                    w.WriteStartArray("kind");
                    w.WriteStringValue(kind.Primary);
                    w.WriteStringValue(kind.Candidate);
                    w.WriteEndArray();
                }

                WritePair(w, "choices", Choices);
                if (FinishReason is { } finish)
                {
                    w.WriteStartArray("finishReason");
                    w.WriteStringValue(finish.Primary);
                    w.WriteStringValue(finish.Candidate);
                    w.WriteEndArray();
                }

                WriteOptional(w, "toolCalls", ToolCalls);
                if (ContentScore is { } contentScore)
                {
                    w.WriteNumber("contentScore", Math.Round(contentScore, 3));
                }

                WritePair(w, "embeddings", Embeddings);
                WritePair(w, "dimensions", Dimensions);
                if (Cosine is { } cosine)
                {
                    w.WriteNumber("cosine", Math.Round(cosine, 6));
                }

                if (Usage is { } usage)
                {
                    w.WriteStartObject("usage");
                    WriteTokens(w, "promptTokens", usage.Primary?.PromptTokens, usage.Candidate?.PromptTokens);
                    WriteTokens(w, "completionTokens", usage.Primary?.CompletionTokens, usage.Candidate?.CompletionTokens);
                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }

            return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        }

        private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
        {
            if (value is not null)
            {
                w.WriteString(name, value);
            }
        }

        private static void WritePair(Utf8JsonWriter w, string name, (int Primary, int Candidate)? pair)
        {
            if (pair is { } p)
            {
                w.WriteStartArray(name);
                w.WriteNumberValue(p.Primary);
                w.WriteNumberValue(p.Candidate);
                w.WriteEndArray();
            }
        }

        private static void WriteTokens(Utf8JsonWriter w, string name, int? primary, int? candidate)
        {
            w.WriteStartArray(name);
            WriteNullable(w, primary);
            WriteNullable(w, candidate);
            w.WriteEndArray();
        }

        private static void WriteNullable(Utf8JsonWriter w, int? value)
        {
            if (value is { } v)
            {
                w.WriteNumberValue(v);
            }
            else
            {
                w.WriteNullValue();
            }
        }
    }
}
