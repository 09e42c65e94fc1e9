namespace Migration.AspNetCore.Shadow;

/// <summary>
/// A pause until a point in time (a provider's 429 Retry-After, a spent budget window), lock-free: reads are one
/// interlocked load, and an earlier end never shortens a running pause.
/// </summary>
internal sealed class PauseGate(TimeProvider time)
{
    private long _pausedUntilUtcTicks;

    /// <summary>End of the current pause, or null when not paused.</summary>
    public DateTimeOffset? PausedUntil
    {
        get
        {
            var until = Interlocked.Read(ref _pausedUntilUtcTicks);
            return until > time.GetUtcNow().UtcTicks ? new DateTimeOffset(until, TimeSpan.Zero) : null;
        }
    }

    /// <summary>Whether the gate is closed at this moment.</summary>
    public bool IsPaused => Interlocked.Read(ref _pausedUntilUtcTicks) > time.GetUtcNow().UtcTicks;

    /// <summary>Pauses until <paramref name="until"/> (an earlier end never shortens a running pause).</summary>
    public void PauseUntil(DateTimeOffset until)
    {
        var ticks = until.UtcTicks;
        var current = Interlocked.Read(ref _pausedUntilUtcTicks);
        while (ticks > current)
        {
            var seen = Interlocked.CompareExchange(ref _pausedUntilUtcTicks, ticks, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
