namespace Migration.Core.Exchange;

/// <summary>Which provider path served (or mirrored) a request.</summary>
public enum TrafficArm
{
    /// <summary>Served by the primary (the app's own path).</summary>
    Primary = 0,

    /// <summary>Live traffic served by the candidate (canary).</summary>
    Canary = 1,

    /// <summary>A mirrored call to the candidate whose answer the user never sees.</summary>
    Shadow = 2,

    /// <summary>
    /// Live traffic served by the candidate because the primary failed: failed over (health), or one request whose
    /// primary call failed before its first byte, served by the candidate in the same deadline. Never canary traffic.
    /// </summary>
    Failover = 3,
}
