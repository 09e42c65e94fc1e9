using Migration.Core.Exchange;

namespace Migration.AspNetCore.Canary;

/// <summary>How a forwarded request ended.</summary>
internal enum CandidateForwardOutcome
{
    /// <summary>The candidate's answer reached the client complete.</summary>
    Served = 0,

    /// <summary>Nothing was sent to the client (failure before the first body byte): serve it from the primary.</summary>
    FallBack = 1,

    /// <summary>The answer broke off after it was committed: the client got an error event or a reset connection.</summary>
    FailedAfterCommit = 2,

    /// <summary>The client went away; nothing more can be sent.</summary>
    ClientAborted = 3,
}

/// <summary>What <see cref="CandidateForwarder.ForwardAsync"/> did.</summary>
/// <param name="Outcome">Served, fall back, failed after commit, or client gone.</param>
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
    /// <summary>Whether the caller must serve the request itself (the response is untouched).</summary>
    public bool MustFallBack => Outcome == CandidateForwardOutcome.FallBack;
}
