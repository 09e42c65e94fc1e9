using System.Diagnostics;

namespace Migration.IntegrationTests.Stack;

/// <summary>Bounded polling for background work (shadow workers, the batch writer) to catch up.</summary>
internal static class Eventually
{
    /// <summary>The default bound of a wait.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Polls <paramref name="probe"/> until it returns true, at most <paramref name="timeout"/> (default 20 s);
    /// then fails with <paramref name="what"/> and the last <paramref name="describe"/> output.
    /// </summary>
    public static async Task UntilAsync(string what, Func<Task<bool>> probe, TimeSpan? timeout = null, Func<Task<string>>? describe = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await probe())
            {
                return;
            }

            if (clock.Elapsed > limit)
            {
                var detail = describe is null ? string.Empty : " Last state: " + await describe();
                Assert.Fail($"Timed out after {limit.TotalSeconds:0.#} s waiting for {what}.{detail}");
            }

            await Task.Delay(PollInterval);
        }
    }
}
