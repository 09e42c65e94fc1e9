using System.Buffers;
using System.Text.Json;
using Migration.Core.OpenAI;

namespace Migration.Core.Comparison;

/// <summary>What differs between two answers; written as a compact JSON object with camelCase names (<c>diff_summary</c>).</summary>
internal sealed class ComparisonDiff
{
    private const int MaxListed = 8;

    public (int Primary, int Candidate)? Status { get; set; }

    public string? PrimaryError { get; set; }

    public string? CandidateError { get; set; }

    public (string Primary, string Candidate)? Kind { get; set; }

    public (int Primary, int Candidate)? Choices { get; set; }

    public (string? Primary, string? Candidate)? FinishReason { get; set; }

    public (string? Primary, string? Candidate)? Refusal { get; set; }

    public string? ToolCalls { get; set; }

    /// <summary>The lowest normalized / lexical score of a text part that was not byte-equal.</summary>
    public double? ContentScore { get; set; }

    public List<string> PrimaryNumbers { get; } = [];

    public List<string> CandidateNumbers { get; } = [];

    public string? Code { get; set; }

    public List<string> Json { get; } = [];

    public (int Primary, int Candidate)? Embeddings { get; set; }

    public (int Primary, int Candidate)? Dimensions { get; set; }

    public double? Cosine { get; set; }

    public (TokenUsage? Primary, TokenUsage? Candidate)? Usage { get; set; }

    public void AddNumbers(string path, List<string> primary, List<string> candidate)
    {
        var prefix = path == "content" ? string.Empty : path + ": ";
        foreach (var n in primary.Take(MaxListed - PrimaryNumbers.Count))
        {
            PrimaryNumbers.Add(prefix + n);
        }

        foreach (var n in candidate.Take(MaxListed - CandidateNumbers.Count))
        {
            CandidateNumbers.Add(prefix + n);
        }
    }

    public void AddJson(string problem)
    {
        if (Json.Count < MaxListed)
        {
            Json.Add(problem);
        }
    }

    public void SetContentScore(double score) => ContentScore = Math.Min(ContentScore ?? 1.0, score);

    public string? ToJson()
    {
        if (Status is null && PrimaryError is null && CandidateError is null && Kind is null && Choices is null
            && FinishReason is null && Refusal is null && ToolCalls is null && ContentScore is null && PrimaryNumbers.Count == 0
            && CandidateNumbers.Count == 0 && Code is null && Json.Count == 0 && Embeddings is null && Dimensions is null
            && Cosine is null && Usage is null)
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
            WriteStrings(w, "kind", Kind);
            WritePair(w, "choices", Choices);
            WriteStrings(w, "finishReason", FinishReason);
            WriteStrings(w, "refusal", Refusal);
            WriteOptional(w, "toolCalls", ToolCalls);
            if (PrimaryNumbers.Count > 0 || CandidateNumbers.Count > 0)
            {
                // The numbers each side has that the other lacks.
                w.WriteStartObject("numbers");
                WriteList(w, "primary", PrimaryNumbers);
                WriteList(w, "candidate", CandidateNumbers);
                w.WriteEndObject();
            }

            WriteOptional(w, "code", Code);
            if (Json.Count > 0)
            {
                WriteList(w, "json", Json);
            }

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

    private static void WriteList(Utf8JsonWriter w, string name, List<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, (string? Primary, string? Candidate)? pair)
    {
        if (pair is { } p)
        {
            w.WriteStartArray(name);
            w.WriteStringValue(p.Primary);
            w.WriteStringValue(p.Candidate);
            w.WriteEndArray();
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
