using Migration.Core.Exchange;

namespace Migration.Core.Storage;

/// <summary>
/// One attempt of a live request on the candidate along a fallback model chain (<c>Candidate:FallbackModels</c>):
/// which model was tried, how it ended and what it cost. One row of <c>candidate_attempts</c>. A request with a
/// chain produces one record per model tried (a retry of the same model after a 429 is its own attempt).
/// </summary>
public sealed record CandidateAttempt
{
    /// <summary>When the attempt started.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>Request id (trace identifier) shared by all attempts of one request.</summary>
    public required string RequestId { get; init; }

    /// <summary>Route path, e.g. <c>/v1/chat/completions</c>.</summary>
    public required string Route { get; init; }

    /// <summary>Why the candidate served the request: <c>canary</c> or <c>failover</c>.</summary>
    public required string Reason { get; init; }

    /// <summary>Model the client asked for.</summary>
    public required string RequestedModel { get; init; }

    /// <summary>Model sent to the candidate in this attempt.</summary>
    public required string Model { get; init; }

    /// <summary>1-based number of the attempt within its request.</summary>
    public int Attempt { get; init; }

    /// <summary>
    /// How the attempt ended: <c>served</c> (the answer reached the client), <c>next_model</c> (failed before the
    /// first byte, the chain moved on), <c>retry</c> (429 whose Retry-After fit the budget: same model again),
    /// <c>fell_back</c> (failed before the first byte and nothing was left to try: the primary served it),
    /// <c>failed_after_commit</c> (broke off after the client got the first bytes) or <c>client_aborted</c>.
    /// </summary>
    public required string Outcome { get; init; }

    /// <summary>The candidate's error class (None when served).</summary>
    public ErrorClass ErrorClass { get; init; }

    /// <summary>HTTP status when one arrived.</summary>
    public int? Status { get; init; }

    /// <summary>Time from the attempt's start to its end, ms.</summary>
    public double LatencyMs { get; init; }

    /// <summary>Time to the first body byte, ms; null when none arrived.</summary>
    public double? TtftMs { get; init; }

    /// <summary>Prompt tokens the answer reported; null when it reported none.</summary>
    public int? TokensIn { get; init; }

    /// <summary>Completion tokens the answer reported.</summary>
    public int? TokensOut { get; init; }

    /// <summary>
    /// Cost in USD: usage × the candidate's price of <see cref="Model"/>. 0 for an attempt that failed before its first
    /// byte (providers do not bill error answers); null when the answer reported no usage (a stream without
    /// <c>stream_options.include_usage</c>) or the model has no price.
    /// </summary>
    public decimal? CostUsd { get; init; }

    /// <summary>Short description of a failure, free of credentials; null when served.</summary>
    public string? Message { get; init; }
}
