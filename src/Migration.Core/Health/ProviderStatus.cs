namespace Migration.Core.Health;

/// <summary>A provider's health as judged by <see cref="ProviderHealthTracker"/>.</summary>
public enum ProviderStatus
{
    /// <summary>No evidence yet (nothing probed or reported).</summary>
    Unknown = 0,

    /// <summary>Answers reliably.</summary>
    Healthy = 1,

    /// <summary>Answers, with recent failures, a lowered success rate or high latency.</summary>
    Degraded = 2,

    /// <summary>Down: too many consecutive failures or a success rate below the floor.</summary>
    Unhealthy = 3,
}
