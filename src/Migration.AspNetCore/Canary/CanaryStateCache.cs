using Migration.Core.Storage;

namespace Migration.AspNetCore.Canary;

/// <summary>
/// The canary state this instance routes by: an immutable <see cref="CanaryFlag"/> swapped atomically. A single read
/// of an older version is ignored (a slow poll cannot undo a newer NOTIFY); the same older state read twice in a row
/// is what the store holds now (the <c>canary_state</c> row was deleted and recreated, its version starting again)
/// and is installed.
/// </summary>
internal sealed class CanaryStateCache
{
    private CanaryFlag _current = CanaryFlag.NotLoaded;
    private CanaryStoreState? _older;

    public CanaryFlag Current => Volatile.Read(ref _current);

    /// <summary>Raised after a newer version was installed (on the updating thread; handlers must be quick).</summary>
    public event Action<CanaryFlag, CanaryFlag>? Changed;

    /// <summary>
    /// Routes at weight 0 for <paramref name="reason"/> until the next successful read installs a state; false when
    /// the weight is already 0 or the instance already fails safe.
    /// </summary>
    public bool EnterFailSafe(string reason)
    {
        while (true)
        {
            var current = Volatile.Read(ref _current);
            if (current.Weight <= 0 || current.FailSafeReason is not null)
            {
                return false;
            }

            if (ReferenceEquals(Interlocked.CompareExchange(ref _current, current.FailSafe(reason), current), current))
            {
                return true;
            }
        }
    }

    /// <summary>Installs <paramref name="state"/> (always while failing safe: a successful read ends it) unless an equal or newer version is in place; true when installed.</summary>
    public bool Update(CanaryStoreState state, DateTimeOffset loadedAt)
    {
        ArgumentNullException.ThrowIfNull(state);
        while (true)
        {
            var current = Volatile.Read(ref _current);
            if (current.FailSafeReason is null && current.State is not null && state.State.Version < current.Version)
            {
                // Seen once: a read that raced a newer one. Seen twice: the row was recreated with a lower version.
                var older = Interlocked.Exchange(ref _older, state);
                if (older is null || older.State != state.State)
                {
                    return false;
                }
            }

            Volatile.Write(ref _older, null);

            if (current.FailSafeReason is null && current.State is not null && state.State.Version == current.Version && ReferenceEquals(current.State, state))
            {
                return false;
            }

            var next = CanaryFlag.From(state, loadedAt);
            if (ReferenceEquals(Interlocked.CompareExchange(ref _current, next, current), current))
            {
                if (current.Version != next.Version)
                {
                    Changed?.Invoke(current, next);
                }

                return true;
            }
        }
    }
}
