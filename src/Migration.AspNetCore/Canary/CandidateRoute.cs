namespace Migration.AspNetCore.Canary;

/// <summary>Who serves a request, decided once per request.</summary>
internal enum CandidateRoute
{
    /// <summary>The primary (the application's own handler); may be shadowed.</summary>
    Primary = 0,

    /// <summary>The candidate, because the canary flag is on for this request.</summary>
    Canary = 1,

    /// <summary>The candidate, because the primary is failed over (health).</summary>
    Failover = 2,
}
