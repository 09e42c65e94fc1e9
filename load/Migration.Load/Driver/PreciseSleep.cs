using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Migration.Load.Driver;

/// <summary>
/// Sleeps until a <see cref="Stopwatch"/> timestamp with sub-millisecond precision and without spinning:
/// <c>Thread.Sleep</c> only has millisecond granularity, so on Linux the remaining wait uses <c>usleep</c>
/// (about 50-100 µs late at most); elsewhere it falls back to 1 ms sleeps.
/// </summary>
internal static partial class PreciseSleep
{
    private static readonly bool UseUsleep = OperatingSystem.IsLinux();

    /// <summary>Blocks the calling thread until <paramref name="timestamp"/> or cancellation.</summary>
    public static void Until(long timestamp, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var remaining = timestamp - Stopwatch.GetTimestamp();
            if (remaining <= 0)
            {
                return;
            }

            var micros = remaining * 1_000_000 / Stopwatch.Frequency;
            if (micros > 20_000)
            {
                // Long waits in slices so that cancellation is noticed.
                Thread.Sleep(10);
            }
            else if (UseUsleep)
            {
                // Wake a little early for long waits, then finish with a short sleep.
                _ = Usleep((uint)Math.Max(micros > 300 ? micros - 150 : micros, 1));
            }
            else
            {
                Thread.Sleep(1);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "usleep")]
    private static partial int Usleep(uint microseconds);
}
