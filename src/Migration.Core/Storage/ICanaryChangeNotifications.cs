namespace Migration.Core.Storage;

/// <summary>
/// Change notifications of the canary state, from every writer (controller, admin API, CLI) to every instance.
/// </summary>
public interface ICanaryChangeNotifications
{
    /// <summary>
    /// Notifications until <paramref name="cancellationToken"/> is cancelled. The first item after every
    /// (re)connection is <see cref="CanaryChangeKind.Connected"/>: changes may have been missed meanwhile, so the
    /// consumer re-reads everything; then one <see cref="CanaryChangeKind.Changed"/> per stored change. A lost
    /// connection is re-established on its own (with backoff); the sequence never faults for database errors.
    /// </summary>
    IAsyncEnumerable<CanaryChange> ListenAsync(CancellationToken cancellationToken);
}

/// <summary>A notification.</summary>
/// <param name="Kind">Connected (re-read everything) or changed.</param>
/// <param name="Migration">The migration that changed; null for <see cref="CanaryChangeKind.Connected"/>.</param>
public readonly record struct CanaryChange(CanaryChangeKind Kind, string? Migration);

/// <summary>What a <see cref="CanaryChange"/> says.</summary>
public enum CanaryChangeKind
{
    /// <summary>The listener (re)connected; anything may have changed meanwhile.</summary>
    Connected = 0,

    /// <summary>The named migration's state changed.</summary>
    Changed = 1,
}
