using Migration.Core.Statistics;

namespace Migration.Load.Driver;

/// <summary>
/// Runs a <see cref="ScenarioProps"/>: warm-up (discarded), then each load simulation in order, and returns what
/// was measured. Open-model phases start each request at its intended time on a dedicated scheduler thread,
/// whatever is in flight, and measure its latency from that intended time, so a stalled server shows up in the
/// tail instead of slowing the sender down (no coordinated omission). Everything is bounded: requests in flight
/// (<see cref="ScenarioProps.MaxInFlight"/>), each step (<see cref="ScenarioProps.StepTimeout"/>), and the drain at
/// the end of a phase.
/// </summary>
/// Time comes from a <see cref="TimeProvider"/> (the system clock unless given): with a fake clock the same
/// arithmetic (intended times, latency from them, timeouts) runs on time a test moves, so its figures are exact.
internal sealed class ScenarioRunner
{
    private readonly ProgressReporter? _progress;
    private readonly TimeProvider _time;
    private volatile Phase? _current;

    public ScenarioRunner(ProgressReporter? progress = null, TimeProvider? time = null)
    {
        _progress = progress;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The phase running now (null before the first): lets a fake-clock test see what is in flight.</summary>
    internal Phase? Current => _current;

    public async Task<ScenarioStats> RunAsync(ScenarioProps scenario, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (scenario.Simulations.Count == 0)
        {
            throw new InvalidOperationException($"Scenario '{scenario.Name}' has no load simulations.");
        }

        if (scenario.WarmUp > TimeSpan.Zero)
        {
            var first = scenario.Simulations[0];
            var warmUp = first switch
            {
                LoadSimulation.Inject inject => inject with { During = scenario.WarmUp },
                LoadSimulation.KeepConstant keep => keep with { During = scenario.WarmUp },
                _ => first,
            };
            var discarded = new ScenarioStats(scenario.Name);
            await RunPhaseAsync(scenario, warmUp, discarded, "warm-up", cancellationToken).ConfigureAwait(false);
        }

        var stats = new ScenarioStats(scenario.Name);
        var duration = TimeSpan.Zero;
        foreach (var simulation in scenario.Simulations)
        {
            duration += await RunPhaseAsync(scenario, simulation, stats, simulation.Describe(), cancellationToken).ConfigureAwait(false);
        }

        stats.Duration = duration;
        return stats;
    }

    private async Task<TimeSpan> RunPhaseAsync(
        ScenarioProps scenario, LoadSimulation simulation, ScenarioStats stats, string label, CancellationToken cancellationToken)
    {
        var phase = new Phase(scenario, stats, _time, cancellationToken);
        _current = phase;
        using var progress = _progress?.Track(scenario.Name, label, simulation.During, phase);
        switch (simulation)
        {
            case LoadSimulation.Inject inject:
                await RunOpenAsync(phase, inject, cancellationToken).ConfigureAwait(false);
                await phase.DrainAsync().ConfigureAwait(false);
                return inject.During;
            case LoadSimulation.KeepConstant keep:
                var elapsed = await RunClosedAsync(phase, keep, cancellationToken).ConfigureAwait(false);
                await phase.DrainAsync().ConfigureAwait(false);
                return elapsed;
            default:
                throw new NotSupportedException(simulation.GetType().Name);
        }
    }

    private Task RunOpenAsync(Phase phase, LoadSimulation.Inject inject, CancellationToken cancellationToken)
    {
        // A dedicated thread keeps the schedule independent of thread-pool starvation.
        return Task.Factory.StartNew(
            () =>
            {
                var period = _time.TimestampFrequency * inject.Interval.TotalSeconds / inject.Rate;
                var total = inject.TotalRequests;
                var start = _time.GetTimestamp();
                for (long i = 0; i < total; i++)
                {
                    var intended = start + (long)(i * period);
                    SleepUntil(intended, cancellationToken);
                    if (cancellationToken.IsCancellationRequested)
                    {
                        return;
                    }

                    phase.Launch(intended, i);
                }
            },
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    /// <summary>Blocks the scheduler thread until <paramref name="timestamp"/> on the runner's clock.</summary>
    private void SleepUntil(long timestamp, CancellationToken cancellationToken)
    {
        if (ReferenceEquals(_time, TimeProvider.System))
        {
            PreciseSleep.Until(timestamp, cancellationToken);
            return;
        }

        while (!cancellationToken.IsCancellationRequested && _time.GetTimestamp() < timestamp)
        {
            // Timers count whole milliseconds (a shorter wait would fire at once and spin): round up.
            var ticks = (long)((Int128)(timestamp - _time.GetTimestamp()) * TimeSpan.TicksPerSecond / _time.TimestampFrequency);
            var wait = TimeSpan.FromMilliseconds(Math.Max(1, (ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond));
            try
            {
                Task.Delay(wait, _time, cancellationToken).Wait(cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or AggregateException)
            {
                return;
            }
        }
    }

    private async Task<TimeSpan> RunClosedAsync(Phase phase, LoadSimulation.KeepConstant keep, CancellationToken cancellationToken)
    {
        var start = _time.GetTimestamp();
        var end = start + (long)(keep.During.TotalSeconds * _time.TimestampFrequency);
        long invocation = -1;
        var copies = new Task[keep.Copies];
        for (var c = 0; c < copies.Length; c++)
        {
            copies[c] = Task.Run(
                async () =>
                {
                    while (!cancellationToken.IsCancellationRequested && _time.GetTimestamp() < end)
                    {
                        // Closed model: the next request goes when the previous answered; latency from the actual send.
                        await phase.InvokeAsync(_time.GetTimestamp(), Interlocked.Increment(ref invocation)).ConfigureAwait(false);
                    }
                },
                CancellationToken.None);
        }

        await Task.WhenAll(copies).ConfigureAwait(false);
        return _time.GetElapsedTime(start);
    }

    /// <summary>The state of one phase: in-flight count, sealing, progress window.</summary>
    internal sealed class Phase
    {
        private readonly ScenarioProps _scenario;
        private readonly ScenarioStats _stats;
        private readonly TimeProvider _time;
        private readonly CancellationToken _runToken;
        private readonly Lock _gate = new();
        private LatencyHistogram _window = new();
        private long _windowOk;
        private long _windowFail;
        private int _inFlight;
        private bool _sealed;

        public Phase(ScenarioProps scenario, ScenarioStats stats, TimeProvider time, CancellationToken runToken)
        {
            _scenario = scenario;
            _stats = stats;
            _time = time;
            _runToken = runToken;
        }

        public int InFlight => Volatile.Read(ref _inFlight);

        public ScenarioStats Stats => _stats;

        /// <summary>Starts one open-model request (or counts it as client_overloaded at the cap).</summary>
        public void Launch(long intended, long invocation)
        {
            if (Interlocked.Increment(ref _inFlight) > _scenario.MaxInFlight)
            {
                Interlocked.Decrement(ref _inFlight);
                Complete(Response.Fail(reason: Response.ClientOverloaded), intended, 0, countedInFlight: false);
                return;
            }

            ThreadPool.UnsafeQueueUserWorkItem(
                static state => _ = state.Phase.RunCountedAsync(state.Intended, state.Invocation),
                (Phase: this, Intended: intended, Invocation: invocation),
                preferLocal: false);
        }

        /// <summary>Runs one closed-model request.</summary>
        public Task InvokeAsync(long sent, long invocation)
        {
            Interlocked.Increment(ref _inFlight);
            return RunCountedAsync(sent, invocation);
        }

        /// <summary>Waits until nothing is in flight, at most the step timeout plus a second; the rest count as unfinished.</summary>
        public async Task DrainAsync()
        {
            var deadline = _time.GetTimestamp() + (long)((_scenario.StepTimeout.TotalSeconds + 1) * _time.TimestampFrequency);
            while (InFlight > 0 && _time.GetTimestamp() < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(5), _time, CancellationToken.None).ConfigureAwait(false);
            }

            lock (_gate)
            {
                _sealed = true;
                for (var i = 0; i < Volatile.Read(ref _inFlight); i++)
                {
                    _stats.Add(Response.Fail(reason: Response.Unfinished), 0, null);
                }
            }
        }

        /// <summary>Takes the progress window: (ok, fail, latency histogram) since the last call.</summary>
        public (long Ok, long Fail, LatencyHistogram Latency) TakeWindow()
        {
            lock (_gate)
            {
                var window = _window;
                _window = new LatencyHistogram();
                var result = (_windowOk, _windowFail, window);
                _windowOk = 0;
                _windowFail = 0;
                return result;
            }
        }

        private async Task RunCountedAsync(long intended, long invocation)
        {
            StepResponse response;
            StepContext? context = null;
            using var timeout = new CancellationTokenSource(_scenario.StepTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _runToken);
            try
            {
                context = new StepContext(_scenario.Name, invocation, _stats, linked.Token, _time);
                response = await _scenario.Step(context).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !_runToken.IsCancellationRequested)
            {
                response = Response.Fail(reason: Response.Timeout);
            }
            catch (OperationCanceledException)
            {
                response = Response.Fail(reason: "cancelled");
            }
            catch (HttpRequestException ex)
            {
                response = Response.Fail(statusCode: ex.StatusCode is { } code ? (int)code : null, reason: "http_" + ex.HttpRequestError.ToString().ToLowerInvariant());
            }
            catch (Exception ex)
            {
                response = Response.Fail(reason: ex.GetType().Name);
            }

            var firstByte = context?.FirstByteTimestamp ?? 0;
            Complete(response, intended, firstByte, countedInFlight: true);
        }

        private void Complete(StepResponse response, long intended, long firstByte, bool countedInFlight)
        {
            var now = _time.GetTimestamp();
            var latency = ToMicroseconds(now - intended);
            long? ttft = firstByte != 0 ? ToMicroseconds(firstByte - intended) : null;
            lock (_gate)
            {
                if (countedInFlight)
                {
                    Interlocked.Decrement(ref _inFlight);
                }

                if (_sealed)
                {
                    return;
                }

                _stats.Add(response, latency, ttft);
                if (response.IsOk)
                {
                    _windowOk++;
                    _window.RecordMicroseconds(latency);
                }
                else
                {
                    _windowFail++;
                }
            }
        }

        private long ToMicroseconds(long ticks) => (long)((Int128)Math.Max(0, ticks) * 1_000_000 / _time.TimestampFrequency);
    }
}
