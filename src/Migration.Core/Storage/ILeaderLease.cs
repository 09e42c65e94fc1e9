namespace Migration.Core.Storage;

/// <summary>Creates leader leases: one per controller instance and migration.</summary>
public interface ILeaderLeaseFactory
{
    /// <summary>A lease (not yet acquired) for <paramref name="migration"/>, held in the name of <paramref name="instance"/>.</summary>
    ILeaderLease Create(string migration, string instance);
}

/// <summary>
/// Leadership of one migration's controller: at most one holder across all instances. Held by a database session,
/// so a dead holder (process or connection gone) loses it at once and another may acquire it.
/// </summary>
public interface ILeaderLease : IAsyncDisposable
{
    /// <summary>Whether this lease is held, as far as known since the last call (see <see cref="HeartbeatAsync"/>).</summary>
    bool IsHeld { get; }

    /// <summary>Tries to become leader without waiting; true when held (already or now). Database errors mean false.</summary>
    Task<bool> TryAcquireAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Proves the lease still holds and records the heartbeat (leader instance and time on the canary row). False
    /// when the lease is not held or was lost (connection gone); the caller must stop acting as leader.
    /// </summary>
    Task<bool> HeartbeatAsync(CancellationToken cancellationToken);

    /// <summary>Gives leadership up (another instance may acquire it at once).</summary>
    Task ReleaseAsync(CancellationToken cancellationToken);
}
