using Migration.Core.Storage;

namespace Migration.AspNetCore.Canary;

/// <summary>
/// The canary state this instance routes by: an immutable <see cref="CanaryFlag"/> swapped atomically. Updates never
/// go back to an older version (a slow poll cannot undo a newer NOTIFY).
/// </summary>
internal sealed class CanaryStateCache
{
    private CanaryFlag _current = CanaryFlag.NotLoaded;

    public CanaryFlag Current => Volatile.Read(ref _current);

    /// <summary>Raised after a newer version was installed (on the updating thread; handlers must be quick).</summary>
    public event Action<CanaryFlag, CanaryFlag>? Changed;

    /// <summary>Installs <paramref name="state"/> unless an equal or newer version is in place; true when installed.</summary>
    public bool Update(CanaryStoreState state, DateTimeOffset loadedAt)
    {
        ArgumentNullException.ThrowIfNull(state);
        while (true)
        {
            var current = Volatile.Read(ref _current);
            if (current.State is not null && state.State.Version < current.Version)
            {
                return false;
            }

            if (current.State is not null && state.State.Version == current.Version && ReferenceEquals(current.State, state))
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
