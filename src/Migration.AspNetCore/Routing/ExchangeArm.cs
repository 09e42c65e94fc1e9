namespace Migration.AspNetCore.Routing;

/// <summary>Who serves an exchange, decided once per request (and kept for the app's retries of the same request).</summary>
internal enum ExchangeArm
{
    /// <summary>The primary (the application's own handler, or the inner HTTP handler); may be shadowed.</summary>
    Primary = 0,

    /// <summary>The candidate, because the canary flag is on for this request.</summary>
    Canary = 1,

    /// <summary>The candidate, because the primary is failed over (health).</summary>
    Failover = 2,

    /// <summary>
    /// Assigned to the canary, but the candidate's circuit breaker is open: served by the primary and counted as a
    /// canary fallback, so the controller sees the failures the breaker is hiding and rolls back.
    /// </summary>
    CanaryBlocked = 3,
}
