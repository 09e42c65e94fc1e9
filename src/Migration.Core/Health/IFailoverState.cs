namespace Migration.Core.Health;

/// <summary>
/// Whether primary-arm traffic must go to the candidate because the primary is down (automatic failover).
/// The middleware reads it on every request: implementations answer from memory, never from I/O.
/// </summary>
public interface IFailoverState
{
    /// <summary>True while the primary is failed over: route primary-arm requests to the candidate.</summary>
    bool RouteToCandidate { get; }

    /// <summary>
    /// True when one request whose primary call failed before its first byte may be served by the candidate: failover
    /// is enabled and the candidate is known to answer (healthy or degraded, not unknown or unhealthy).
    /// </summary>
    bool CandidateCanRescue => false;
}

/// <summary>No failover (the default until health monitoring is registered).</summary>
public sealed class NoFailover : IFailoverState
{
    /// <summary>The shared instance.</summary>
    public static NoFailover Instance { get; } = new();

    /// <inheritdoc />
    public bool RouteToCandidate => false;
}
