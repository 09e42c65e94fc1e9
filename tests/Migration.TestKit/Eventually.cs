using System.Diagnostics;
using Xunit;

namespace Migration.TestKit;

/// <summary>
/// The one bounded polling helper of the tests: waits for background work (shadow workers, the batch writer, a
/// hosted service, a webhook) to catch up, and fails the test with what it waited for when it does not.
/// </summary>
public static class Eventually
{
    /// <summary>The default bound of a wait.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    /// <summary>How often a probe that costs a query (database, HTTP) is asked.</summary>
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>How often an in-memory condition is checked.</summary>
    private static readonly TimeSpan ConditionInterval = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// Polls <paramref name="probe"/> until it returns true, at most <paramref name="timeout"/> (default 20 s);
    /// then fails with <paramref name="what"/> and the last <paramref name="describe"/> output.
    /// </summary>
    public static Task UntilAsync(string what, Func<Task<bool>> probe, TimeSpan? timeout = null, Func<Task<string>>? describe = null) =>
        PollAsync(what, probe, ProbeInterval, timeout, describe);

    /// <summary>Checks the in-memory <paramref name="condition"/> until it holds, at most <paramref name="timeout"/> (default 20 s).</summary>
    public static Task UntilAsync(string what, Func<bool> condition, TimeSpan? timeout = null, Func<string>? describe = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return PollAsync(
            what,
            () => Task.FromResult(condition()),
            ConditionInterval,
            timeout,
            describe is null ? null : () => Task.FromResult(describe()));
    }

    private static async Task PollAsync(string what, Func<Task<bool>> probe, TimeSpan interval, TimeSpan? timeout, Func<Task<string>>? describe)
    {
        ArgumentNullException.ThrowIfNull(what);
        ArgumentNullException.ThrowIfNull(probe);
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

            await Task.Delay(interval);
        }
    }
}
