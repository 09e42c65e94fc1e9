using Migration.Core.Exchange;

namespace Migration.AspNetCore.Routing;

/// <summary>What the candidate did with one request (<see cref="CandidateForwarder.StartAsync"/> and its <see cref="CandidateAnswer"/>).</summary>
/// <param name="Outcome">Served, fall back, failed after commit, or caller gone.</param>
/// <param name="Error">The candidate's error class (None when served).</param>
/// <param name="Status">The candidate's HTTP status when one arrived.</param>
/// <param name="Message">A short description of a failure, free of credentials.</param>
/// <param name="Latency">From sending to the end (or the failure).</param>
/// <param name="Ttft">From sending to the first body byte; null when none arrived.</param>
internal sealed record CandidateForwardResult(
    CandidateForwardOutcome Outcome,
    ErrorClass Error,
    int? Status,
    string? Message,
    TimeSpan Latency,
    TimeSpan? Ttft)
{
    /// <summary>Whether the caller must serve the request itself (nothing was handed out).</summary>
    public bool MustFallBack => Outcome == CandidateForwardOutcome.FallBack;
}
