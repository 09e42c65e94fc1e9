using System.Diagnostics;
using System.Globalization;

namespace Migration.Load.Driver;

/// <summary>
/// Prints progress while a phase runs: one plain line every <see cref="Interval"/> when the output is not a
/// terminal (CI logs), or a line rewritten in place every second on a terminal.
/// </summary>
internal sealed class ProgressReporter
{
    private readonly TextWriter _writer;
    private readonly bool _interactive;

    public ProgressReporter(TextWriter writer, bool interactive, TimeSpan? interval = null)
    {
        _writer = writer;
        _interactive = interactive;
        Interval = interval ?? (interactive ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(5));
    }

    /// <summary>Progress on the console: interactive unless stdout is redirected.</summary>
    public static ProgressReporter ForConsole() => new(Console.Out, interactive: !Console.IsOutputRedirected);

    public TimeSpan Interval { get; }

    internal IDisposable Track(string scenario, string label, TimeSpan during, ScenarioRunner.Phase phase) =>
        new Tracker(this, scenario, label, during, phase);

    private void Write(string line, bool final)
    {
        lock (_writer)
        {
            if (_interactive)
            {
                _writer.Write("\r" + line.PadRight(110));
                if (final)
                {
                    _writer.WriteLine();
                }
            }
            else
            {
                _writer.WriteLine(line);
            }

            _writer.Flush();
        }
    }

    private sealed class Tracker : IDisposable
    {
        private readonly ProgressReporter _owner;
        private readonly string _scenario;
        private readonly string _label;
        private readonly TimeSpan _during;
        private readonly ScenarioRunner.Phase _phase;
        private readonly long _start = Stopwatch.GetTimestamp();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private long _last;

        public Tracker(ProgressReporter owner, string scenario, string label, TimeSpan during, ScenarioRunner.Phase phase)
        {
            _owner = owner;
            _scenario = scenario;
            _label = label;
            _during = during;
            _phase = phase;
            _last = _start;
            _loop = LoopAsync();
        }

        public void Dispose()
        {
            _stop.Cancel();
            try
            {
                _loop.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
            }

            _stop.Dispose();
            _owner.Write(Line(final: true), final: true);
        }

        private async Task LoopAsync()
        {
            using var timer = new PeriodicTimer(_owner.Interval);
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                _owner.Write(Line(), final: false);
            }
        }

        private string Line(bool final = false)
        {
            var now = Stopwatch.GetTimestamp();
            var windowSeconds = Math.Max(1e-3, (now - Interlocked.Exchange(ref _last, now)) / (double)Stopwatch.Frequency);
            var (ok, fail, latency) = _phase.TakeWindow();
            var elapsed = Stopwatch.GetElapsedTime(_start);
            if (final)
            {
                // The last line sums up the whole phase rather than its last few milliseconds.
                ok = _phase.Stats.Ok;
                fail = _phase.Stats.Fail;
                latency = _phase.Stats.Latency;
                windowSeconds = Math.Max(1e-3, Math.Min(elapsed.TotalSeconds, _during.TotalSeconds));
            }
            return string.Create(
                CultureInfo.InvariantCulture,
                $"[{_scenario}] {_label} {elapsed.TotalSeconds,5:0}/{_during.TotalSeconds:0}s  rps {ok / windowSeconds,8:0.0}  " +
                $"ok {_phase.Stats.Ok,8}  fail {_phase.Stats.Fail,6} (+{fail})  in-flight {_phase.InFlight,5}  " +
                $"p50 {latency.PercentileMilliseconds(50),7:0.00} ms  p99 {latency.PercentileMilliseconds(99),8:0.00} ms");
        }
    }
}
