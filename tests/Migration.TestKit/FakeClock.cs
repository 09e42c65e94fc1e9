using Microsoft.Extensions.Time.Testing;

namespace Migration.TestKit;

/// <summary>
/// The test clock: <see cref="FakeTimeProvider"/> (time moves only through <c>Advance</c> / <c>SetUtcNow</c>,
/// timers fire on the advancing thread) with two additions the harness tests rely on:
/// <list type="bullet">
/// <item>an odd timestamp frequency (<see cref="Frequency"/>, as YARP's test clock): <see cref="FakeTimeProvider"/>
/// uses <see cref="TimeSpan.TicksPerSecond"/>, so code that reads a timestamp difference as <see cref="TimeSpan"/>
/// ticks would pass every test and be wrong in production (Linux' <c>Stopwatch.Frequency</c> is 10^9);</item>
/// <item>a count of scheduled timers (<see cref="ActiveTimers"/>, <see cref="WaitForTimersAsync"/>): a test must let
/// a background loop reach its next <c>Task.Delay</c> before it advances, and <see cref="FakeTimeProvider"/> keeps its
/// waiters internal.</item>
/// </list>
/// Unlike the hand-written clock this replaced, <see cref="FakeTimeProvider.Advance"/> moves to the target first and
/// then fires what fell due, so a callback reads the target time: advance one period at a time when a test needs
/// each tick to see its own time.
/// </summary>
public sealed class FakeClock : FakeTimeProvider
{
    /// <summary>Timestamp ticks per second: not a power of ten on purpose.</summary>
    public const long Frequency = 1_000_003;

    /// <summary>Where the clock starts unless told otherwise: 2025-01-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private int _activeTimers;

    /// <summary>Starts at <see cref="DefaultStart"/>.</summary>
    public FakeClock()
        : base(DefaultStart)
    {
    }

    /// <summary>Starts at <paramref name="start"/>.</summary>
    public FakeClock(DateTimeOffset start)
        : base(start)
    {
    }

    /// <inheritdoc />
    public override long TimestampFrequency => Frequency;

    /// <summary>Number of timers currently scheduled (a waiting <c>Task.Delay</c> counts as one).</summary>
    public int ActiveTimers => Volatile.Read(ref _activeTimers);

    /// <inheritdoc />
    public override long GetTimestamp() =>
        (long)((Int128)(GetUtcNow() - Start).Ticks * Frequency / TimeSpan.TicksPerSecond);

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new CountedTimer(this, callback);
        timer.Attach(dueTime, period, (due, every) => base.CreateTimer(timer.Fire, state, due, every));
        return timer;
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

    /// <summary>Keeps <see cref="ActiveTimers"/> right: scheduled from a finite due time until a one-shot fires, it is re-armed off or disposed.</summary>
    private sealed class CountedTimer(FakeClock owner, TimerCallback callback) : ITimer
    {
        private readonly Lock _lock = new();
        private ITimer? _inner;
        private bool _scheduled;
        private bool _periodic;
        private bool _disposed;

        public void Attach(TimeSpan dueTime, TimeSpan period, Func<TimeSpan, TimeSpan, ITimer> create)
        {
            Set(dueTime, period);
            _inner = create(dueTime, period);
        }

        public void Fire(object? state)
        {
            lock (_lock)
            {
                if (!_periodic)
                {
                    SetScheduled(false);
                }
            }

            callback(state);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_lock)
            {
                if (_disposed)
                {
                    return false;
                }

                Set(dueTime, period);
            }

            return _inner!.Change(dueTime, period);
        }

        public void Dispose()
        {
            lock (_lock)
            {
                _disposed = true;
                SetScheduled(false);
            }

            _inner?.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }

        private void Set(TimeSpan dueTime, TimeSpan period)
        {
            lock (_lock)
            {
                _periodic = period != Timeout.InfiniteTimeSpan && period > TimeSpan.Zero;
                SetScheduled(dueTime != Timeout.InfiniteTimeSpan);
            }
        }

        // Caller holds _lock.
        private void SetScheduled(bool value)
        {
            if (value == _scheduled)
            {
                return;
            }

            _scheduled = value;
            Interlocked.Add(ref owner._activeTimers, value ? 1 : -1);
        }
    }
}
