namespace Migration.TestKit;

/// <summary>
/// A fake clock for timed behaviour: time moves only through <see cref="Advance"/> / <see cref="SetUtcNow"/>,
/// and timers (including <c>Task.Delay(..., timeProvider)</c> and <c>PeriodicTimer</c>) fire, in due order,
/// on the thread that advances. The timestamp frequency is deliberately odd (as YARP's test clock) to catch
/// code that assumes <see cref="TimeSpan.TicksPerSecond"/> or <c>Stopwatch.Frequency</c>.
/// </summary>
public sealed class TestTimeProvider : TimeProvider
{
    /// <summary>Timestamp ticks per second: not a power of ten on purpose.</summary>
    public const long Frequency = 1_000_003;

    private readonly Lock _lock = new();
    private readonly List<Timer> _timers = [];
    private DateTimeOffset _now;
    private TimeSpan _elapsed;
    private long _sequence;

    /// <summary>Starts at 2025-01-01T00:00:00Z.</summary>
    public TestTimeProvider()
        : this(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>Starts at <paramref name="start"/>.</summary>
    public TestTimeProvider(DateTimeOffset start) => _now = start;

    /// <inheritdoc />
    public override long TimestampFrequency => Frequency;

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>Number of timers currently scheduled (a waiting <c>Task.Delay</c> counts as one).</summary>
    public int ActiveTimers
    {
        get
        {
            lock (_lock)
            {
                return _timers.Count(t => t.DueAt is not null);
            }
        }
    }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    /// <inheritdoc />
    public override long GetTimestamp()
    {
        lock (_lock)
        {
            return (long)((Int128)_elapsed.Ticks * Frequency / TimeSpan.TicksPerSecond);
        }
    }

    /// <summary>Moves time forward, firing every timer that falls due on the way, at its due time.</summary>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        DateTimeOffset target;
        lock (_lock)
        {
            target = _now + delta;
        }

        while (true)
        {
            Timer? due;
            lock (_lock)
            {
                due = _timers
                    .Where(t => t.DueAt is { } at && at <= target)
                    .OrderBy(t => t.DueAt)
                    .ThenBy(t => t.Sequence)
                    .FirstOrDefault();
                if (due is null)
                {
                    MoveTo(target);
                    return;
                }

                MoveTo(due.DueAt!.Value);
                due.DueAt = due.Period is { } period && period > TimeSpan.Zero ? _now + period : null;
                due.Sequence = ++_sequence;
            }

            due.Fire();
        }
    }

    /// <summary>Jumps to <paramref name="value"/> (forward only), firing timers on the way.</summary>
    public void SetUtcNow(DateTimeOffset value)
    {
        var delta = value - GetUtcNow();
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero, nameof(value));
        Advance(delta);
    }

    /// <summary>
    /// Waits (real time, bounded) until at least <paramref name="count"/> timers are scheduled: lets a background
    /// loop reach its next <c>Task.Delay</c> before the test advances the clock.
    /// </summary>
    /// <exception cref="TimeoutException">Not reached within <paramref name="timeout"/> (default 10 s).</exception>
    public async Task WaitForTimersAsync(int count = 1, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(10);
        using var cts = new CancellationTokenSource(limit);
        while (ActiveTimers < count)
        {
            try
            {
                await Task.Delay(5, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Expected {count} active timer(s) within {limit.TotalSeconds:0.#} s; {ActiveTimers} active.");
            }
        }
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new Timer(this, callback, state);
        lock (_lock)
        {
            _timers.Add(timer);
            Schedule(timer, dueTime, period);
        }

        if (dueTime == TimeSpan.Zero)
        {
            Advance(TimeSpan.Zero);
        }

        return timer;
    }

    private void MoveTo(DateTimeOffset value)
    {
        var delta = value - _now;
        if (delta > TimeSpan.Zero)
        {
            _now = value;
            _elapsed += delta;
        }
    }

    // Caller holds _lock.
    private void Schedule(Timer timer, TimeSpan dueTime, TimeSpan period)
    {
        timer.Period = period == Timeout.InfiniteTimeSpan ? null : period;
        timer.DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : _now + (dueTime < TimeSpan.Zero ? TimeSpan.Zero : dueTime);
        timer.Sequence = ++_sequence;
    }

    private bool Change(Timer timer, TimeSpan dueTime, TimeSpan period)
    {
        lock (_lock)
        {
            if (!_timers.Contains(timer))
            {
                return false;
            }

            Schedule(timer, dueTime, period);
        }

        // A zero due time fires now, as a real timer would (soon).
        if (dueTime == TimeSpan.Zero)
        {
            Advance(TimeSpan.Zero);
        }

        return true;
    }

    private void Remove(Timer timer)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class Timer(TestTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? DueAt { get; set; }

        public TimeSpan? Period { get; set; }

        public long Sequence { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period) => owner.Change(this, dueTime, period);

        public void Fire() => callback(state);

        public void Dispose() => owner.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
