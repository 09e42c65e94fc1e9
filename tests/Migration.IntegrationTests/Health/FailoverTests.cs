using Migration.TestKit;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Migration.IntegrationTests.Stack;
using Migration.SampleApi;
using Migration.Simulator;
using Xunit.Abstractions;

namespace Migration.IntegrationTests.Health;

/// <summary>
/// Automatic failover end to end: a primary outage is detected by the probes, primary-arm traffic moves to the
/// candidate with no failed client request after the switch, and moves back after the cooldown.
/// </summary>
public sealed class FailoverTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(SampleMode.Middleware)]
    [InlineData(SampleMode.Outgoing)]
    public async Task PrimaryOutage_DetectedMovedAndRecovered_NoFailedRequestAfterSwitch(SampleMode mode)
    {
        await using var stack = await MigrationStack.StartAsync(new MigrationStackOptions { Mode = mode, Settings = HealthStack.FastSettings() });
        var switches = new ConcurrentQueue<string>();
        using var listener = ListenToSwitches(stack, switches);
        await HealthStack.WaitForBothHealthyAsync(stack);
        await ProductionTraffic.SendSequentialAsync(stack, 5);

        // Outage: measure detection (primary unhealthy) and switch (route to candidate).
        var clock = Stopwatch.StartNew();
        stack.Primary.Faults = new FaultSettings { Outage = true };
        TimeSpan? detected = null;
        TimeSpan? moved = null;
        while (moved is null && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            var health = await HealthStack.GetHealthAsync(stack);
            if (detected is null && HealthStack.Status(health, "primary") == "unhealthy")
            {
                detected = clock.Elapsed;
            }

            if (HealthStack.RouteToCandidate(health))
            {
                moved = clock.Elapsed;
                detected ??= moved;
            }
            else
            {
                await Task.Delay(20);
            }
        }

        output.WriteLine($"outage -> detected: {Ms(detected)}, traffic moved: {Ms(moved)}");
        Assert.NotNull(detected);
        Assert.NotNull(moved);
        // Detection <= 5 s and switch <= 15 s are the failover load scenario's goals (wall-clock limits fail on a busy machine).

        // After the switch every request is answered in full (by the candidate: the primary answers only 503).
        var primaryChatsBefore = stack.Primary.Stats.Snapshot().Routes["chat"];
        await ProductionTraffic.SendSequentialAsync(stack, 20);
        Assert.Equal(primaryChatsBefore, stack.Primary.Stats.Snapshot().Routes["chat"]);

        // The report (read from the recorded events, like migrationctl report) shows the failover too.
        await Eventually.UntilAsync("report shows failover active", async () =>
            (await stack.GetReportAsync()).GetProperty("providers").GetProperty("failover") is { ValueKind: System.Text.Json.JsonValueKind.Object } f
            && f.GetProperty("active").GetBoolean());

        // Recovery: healthy again after RecoveryThreshold probes, traffic back only after the cooldown.
        clock.Restart();
        stack.Primary.Faults = FaultSettings.None;
        TimeSpan? healthy = null;
        TimeSpan? back = null;
        while (back is null && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            var health = await HealthStack.GetHealthAsync(stack);
            if (healthy is null && HealthStack.Status(health, "primary") == "healthy")
            {
                healthy = clock.Elapsed;
            }

            if (!HealthStack.RouteToCandidate(health))
            {
                back = clock.Elapsed;
            }
            else
            {
                await Task.Delay(20);
            }
        }

        output.WriteLine($"recovery -> primary healthy: {Ms(healthy)}, traffic back: {Ms(back)} (cooldown {HealthStack.Cooldown.TotalSeconds} s)");
        Assert.NotNull(back);
        Assert.True(back - healthy >= HealthStack.Cooldown - TimeSpan.FromMilliseconds(300), $"failback {Ms(back)} came before healthy {Ms(healthy)} + cooldown");
        await ProductionTraffic.SendSequentialAsync(stack, 5);
        Assert.True(stack.Primary.Stats.Snapshot().Routes["chat"] > primaryChatsBefore);

        // Each switch is an event (actor health, kind failover/failback, with the probe numbers) and a metric; each
        // provider status change is an event too (kind status).
        await Eventually.UntilAsync("two switch events", async () => await stack.ScalarAsync<long>($"SELECT count(*) FROM canary_events WHERE {SwitchEvents}") == 2);
        var reason = await stack.ScalarAsync<string>($"SELECT reason FROM canary_events WHERE {SwitchEvents} ORDER BY id LIMIT 1");
        Assert.Contains("failover: primary openai unhealthy", reason, StringComparison.Ordinal);
        var metrics = await stack.ScalarAsync<string>($"SELECT metrics::text FROM canary_events WHERE {SwitchEvents} ORDER BY id LIMIT 1");
        Assert.Contains("\"consecutiveFailures\"", metrics, StringComparison.Ordinal);
        Assert.Contains("\"kind\": \"failover\"", metrics, StringComparison.Ordinal);
        Assert.Equal(["to_candidate", "to_primary"], switches.ToArray());
        var down = await stack.ScalarAsync<string>(
            "SELECT reason FROM canary_events WHERE actor = 'health' AND metrics->>'kind' = 'status' AND metrics->>'to' = 'unhealthy' ORDER BY id LIMIT 1");
        Assert.StartsWith("primary (openai): ", down, StringComparison.Ordinal);
        Assert.Contains("-> unhealthy after 3 consecutive failures", down, StringComparison.Ordinal);
        await Eventually.UntilAsync("report shows failover inactive", async () =>
        {
            var providers = (await stack.GetReportAsync()).GetProperty("providers");
            return !providers.GetProperty("failover").GetProperty("active").GetBoolean() && providers.GetProperty("switches").GetInt32() == 2;
        });
    }

    [Fact]
    public async Task PrimaryFlapping_AtMostOneSwitchPerCooldown()
    {
        await using var stack = await MigrationStack.StartAsync(new MigrationStackOptions { Settings = HealthStack.FastSettings() });
        await HealthStack.WaitForBothHealthyAsync(stack);

        // Down 1 s, up 1 s, for 12 s: the primary never stays healthy for a whole cooldown (3 s).
        for (var i = 0; i < 6; i++)
        {
            stack.Primary.Faults = new FaultSettings { Outage = true };
            await Task.Delay(TimeSpan.FromSeconds(1));
            stack.Primary.Faults = FaultSettings.None;
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        var times = new List<DateTime>();
        await using (var connection = await stack.OpenConnectionAsync())
        await using (var command = new Npgsql.NpgsqlCommand($"SELECT time FROM canary_events WHERE {SwitchEvents} ORDER BY time", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                times.Add(reader.GetDateTime(0));
            }
        }

        output.WriteLine($"flapping for 12 s: {times.Count} switch(es) at {string.Join(", ", times.Select(t => t.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture)))}");
        Assert.NotEmpty(times);
        for (var i = 1; i < times.Count; i++)
        {
            Assert.True(times[i] - times[i - 1] >= HealthStack.Cooldown, $"switches {times[i - 1]:O} and {times[i]:O} are closer than the cooldown");
        }

        Assert.True(times.Count <= 1 + (int)(TimeSpan.FromSeconds(14) / HealthStack.Cooldown));
    }

    /// <summary>The switch events among the health events (status changes are recorded with the same actor).</summary>
    private const string SwitchEvents = "actor = 'health' AND metrics->>'kind' IN ('failover', 'failback')";

    private static MeterListener ListenToSwitches(MigrationStack stack, ConcurrentQueue<string> switches)
    {
        var factory = stack.Services.GetRequiredService<IMeterFactory>();
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Name == "migration.failover.switches")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "direction")
                {
                    switches.Enqueue((string)tag.Value!);
                }
            }
        });
        listener.Start();
        return listener;
    }

    private static string Ms(TimeSpan? value) => value is { } v ? $"{v.TotalMilliseconds:0} ms" : "never";
}
