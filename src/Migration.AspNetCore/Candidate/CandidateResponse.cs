using Migration.AspNetCore.Capture;
using Migration.Core.Exchange;

namespace Migration.AspNetCore.Candidate;

/// <summary>
/// What one mirrored call to the candidate gave: the status and body (when a response came), timings and the
/// error class. Owns the body buffer.
/// </summary>
internal sealed class CandidateResponse : IDisposable
{
    /// <summary>HTTP status; null when no response arrived (timeout before headers, connection failure).</summary>
    public int? Status { get; init; }

    public string? ContentType { get; init; }

    /// <summary>The body as read (possibly cut short by an error); null when no response arrived.</summary>
    public CaptureBuffer? Body { get; init; }

    /// <summary>Time from sending to the end of the answer (or to the failure).</summary>
    public required TimeSpan Latency { get; init; }

    /// <summary>Time from sending to the first content (first token of a stream); null when none arrived.</summary>
    public TimeSpan? Ttft { get; init; }

    /// <summary>Time from sending to the first body byte; null when none arrived.</summary>
    public TimeSpan? FirstByte { get; init; }

    /// <summary>Transport-level error class (timeout, connection, truncated body, 429, 5xx, 4xx); None otherwise.</summary>
    public required ErrorClass Error { get; init; }

    /// <summary>A short description of the failure, free of credentials.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>How long a 429 asked us to wait.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public void Dispose() => Body?.Dispose();
}
