using Migration.Core.Comparison;
using Migration.Core.Exchange;

namespace Migration.Core.Storage;

/// <summary>
/// One compared request: what the primary answered in production and what the candidate answered to the
/// mirrored copy. One row of <c>shadow_results</c>. Bodies are already redacted (or null) when this is built.
/// </summary>
public sealed record ShadowResult
{
    /// <summary>When the production request started.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>
    /// Candidate (primary vs candidate) or noise (primary vs the primary asked again: then the <c>Candidate*</c> fields
    /// describe the primary's second answer and <see cref="CandidateModel"/> is the primary model).
    /// </summary>
    public ShadowKind Kind { get; init; }

    /// <summary>Request id (trace identifier) of the production request.</summary>
    public required string RequestId { get; init; }

    /// <summary>Route path, e.g. <c>/v1/chat/completions</c>.</summary>
    public required string Route { get; init; }

    /// <summary>Model the client asked for (primary side).</summary>
    public required string PrimaryModel { get; init; }

    /// <summary>Model sent to the candidate after the model map.</summary>
    public required string CandidateModel { get; init; }

    /// <summary>Whether the request asked for a streamed answer.</summary>
    public bool Streamed { get; init; }

    /// <summary>HTTP status the primary answered.</summary>
    public int PrimaryStatus { get; init; }

    /// <summary>HTTP status the candidate answered; null when no response came (timeout, connection error).</summary>
    public int? CandidateStatus { get; init; }

    /// <summary>Primary: time until the whole answer was written, ms.</summary>
    public double PrimaryLatencyMs { get; init; }

    /// <summary>Candidate: time until the whole answer was read, ms; null when it never answered.</summary>
    public double? CandidateLatencyMs { get; init; }

    /// <summary>
    /// Primary: time to first token, ms: to the first event with content (<c>delta.content</c>, a tool call fragment,
    /// a refusal) of a stream, not to a role-only chunk; to the first body byte of a JSON answer.
    /// </summary>
    public double? PrimaryTtftMs { get; init; }

    /// <summary>Candidate: time to first token, ms (as <see cref="PrimaryTtftMs"/>).</summary>
    public double? CandidateTtftMs { get; init; }

    /// <summary>Primary: time to the first body byte (headers and a role-only chunk count), ms.</summary>
    public double? PrimaryFirstByteMs { get; init; }

    /// <summary>Candidate: time to the first body byte, ms.</summary>
    public double? CandidateFirstByteMs { get; init; }

    /// <summary>
    /// The primary's tokens were counted with a tokenizer (the provider returned no usage, e.g. a stream without
    /// <c>stream_options.include_usage</c>): its tokens and cost are estimates.
    /// </summary>
    public bool PrimaryTokensEstimated { get; init; }

    /// <summary>The candidate's tokens were counted with a tokenizer (as <see cref="PrimaryTokensEstimated"/>).</summary>
    public bool CandidateTokensEstimated { get; init; }

    /// <summary>Primary usage: prompt tokens.</summary>
    public int? PrimaryTokensIn { get; init; }

    /// <summary>Primary usage: completion tokens.</summary>
    public int? PrimaryTokensOut { get; init; }

    /// <summary>Candidate usage: prompt tokens.</summary>
    public int? CandidateTokensIn { get; init; }

    /// <summary>Candidate usage: completion tokens.</summary>
    public int? CandidateTokensOut { get; init; }

    /// <summary>Primary cost in USD from usage and the price table; null when the model has no price.</summary>
    public decimal? PrimaryCostUsd { get; init; }

    /// <summary>Candidate cost in USD; null when the model has no price or there was no usage.</summary>
    public decimal? CandidateCostUsd { get; init; }

    /// <summary>The deciding tier's score in [0,1] (the semantic score whenever that tier ran); null when nothing was compared.</summary>
    public double? MatchScore { get; init; }

    /// <summary>The comparison tier that decided the verdict; null when nothing was compared (errors).</summary>
    public ComparisonTier? MatchTier { get; init; }

    /// <summary>
    /// Why the semantic tier did not re-score an exchange that asked for it (<see cref="SemanticSkipReasons"/>: queue full,
    /// generator error, shutdown): the row keeps its lexical verdict. Null when it ran or was not wanted.
    /// </summary>
    public string? SemanticSkipped { get; init; }

    /// <summary>The embedding model that scored the row (semantic tier), e.g. <c>all-MiniLM-L6-v2</c>.</summary>
    public string? ScoringModel { get; init; }

    /// <summary>Tokens a remote embedding endpoint billed for scoring this row; null for local models or no scoring.</summary>
    public int? ScoringTokens { get; init; }

    /// <summary>What scoring this row cost (remote embeddings, priced like the primary); null when free or unknown.</summary>
    public decimal? ScoringCostUsd { get; init; }

    /// <summary>The comparison verdict.</summary>
    public Verdict Verdict { get; init; }

    /// <summary>The candidate's error class (None when it answered 2xx and parsed).</summary>
    public ErrorClass CandidateErrorClass { get; init; }

    /// <summary>Short structured diff summary as JSON (stored as jsonb); null when exact.</summary>
    public string? DiffSummaryJson { get; init; }

    /// <summary>Redacted, truncated request body, or null when bodies are not stored.</summary>
    public string? RequestBody { get; init; }

    /// <summary>Redacted, truncated primary answer, or null.</summary>
    public string? PrimaryBody { get; init; }

    /// <summary>Redacted, truncated candidate answer, or null.</summary>
    public string? CandidateBody { get; init; }

    /// <summary>Error text (candidate or harness side), never containing credentials.</summary>
    public string? Error { get; init; }

    /// <summary>The instance (host) that produced the row.</summary>
    public required string Instance { get; init; }
}
