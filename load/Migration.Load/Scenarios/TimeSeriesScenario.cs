using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Migration.Core.Exchange;
using Migration.Core.Statistics;
using Migration.Core.Storage;
using Migration.Load.Hosting;
using Migration.Load.Reports;
using Migration.Postgres.Storage;
using Npgsql;

namespace Migration.Load.Scenarios;

/// <summary>
/// <c>timeseries</c>: the dashboard's data endpoint over a day of stored traffic. Seeds 24 h of per-second buckets
/// from 3 instances (primary and shadow all day, canary for the last 12 h, one model; canary events along the
/// way), starts the sample API on that database and times <c>GET /migration/timeseries</c> for 24 h at 10 s steps
/// (and 1 h at 10 s, 24 h at 5 min), measuring response bytes, wall time and the server's CPU seconds per call.
/// </summary>
internal sealed class TimeSeriesScenario : ILoadScenario
{
    private const int Instances = 3;

    public string Name => "timeseries";

    public string Description => "GET /migration/timeseries over a day of buckets from 3 instances: size and time for 24 h at 10 s steps";

    public async Task<ScenarioReport> RunAsync(LoadLab lab)
    {
        var ct = lab.CancellationToken;
        var hours = lab.Settings.Quick ? 2 : 24;
        var repeats = lab.Settings.Quick ? 2 : 5;
        var database = await lab.CreateDatabaseAsync("timeseries").ConfigureAwait(false);
        var now = TimeProvider.System.GetUtcNow();
        var seedWatch = Stopwatch.StartNew();
        var rows = await SeedAsync(database, now, hours, ct).ConfigureAwait(false);
        var seedSeconds = seedWatch.Elapsed.TotalSeconds;
        await lab.Log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"seeded {rows:N0} traffic buckets ({hours} h x {Instances} instances) in {seedSeconds:0.0} s")).ConfigureAwait(false);

        var primary = await lab.StartSimulatorAsync("openai").ConfigureAwait(false);
        var candidate = await lab.StartSimulatorAsync("holysheep").ConfigureAwait(false);
        var settings = new Dictionary<string, string> { ["Canary:ControllerEnabled"] = "false" };
        var sut = await lab.StartSampleApiAsync("timeseries", OverheadScenario.Harness(primary, candidate, database, shadow: false, settings)).ConfigureAwait(false);
        using var http = new HttpClient { BaseAddress = new Uri(sut.Url), Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Add("X-Migration-Key", SampleApiProcess.AdminKey);
        http.DefaultRequestHeaders.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity"));

        var report = new ScenarioReport { Scenario = Name };
        report.Config["hours"] = hours;
        report.Config["instances"] = Instances;
        report.Config["bucketRows"] = rows;
        report.Config["seedSeconds"] = Math.Round(seedSeconds, 1);
        report.Config["repeats"] = repeats;
        report.Config["machine"] = MachineInfo.Describe();
        var day = string.Create(CultureInfo.InvariantCulture, $"{hours}h");
        foreach (var (label, query) in new[] { ("window.10s", $"?since={day}&step=10s"), ("1h.10s", "?since=1h&step=10s"), ("window.5m", $"?since={day}&step=5m") })
        {
            var times = new List<double>();
            var cpu = new List<double>();
            long bytes = 0;
            for (var i = 0; i < repeats + 1; i++)
            {
                var cpuBefore = sut.Process.CpuSeconds ?? 0;
                var started = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(new Uri("/migration/timeseries" + query, UriKind.Relative), ct).ConfigureAwait(false);
                var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                response.EnsureSuccessStatusCode();
                if (i == 0)
                {
                    continue; // warm-up: JIT and the connection pool
                }

                times.Add(elapsed);
                cpu.Add((sut.Process.CpuSeconds ?? 0) - cpuBefore);
                bytes = body.Length;
            }

            report.Ratios[label + ".medianMs"] = Math.Round(ArmSummary.MedianOf(times), 1);
            report.Ratios[label + ".maxMs"] = Math.Round(times.Max(), 1);
            report.Ratios[label + ".serverCpuSeconds"] = Math.Round(ArmSummary.MedianOf(cpu), 3);
            report.Ratios[label + ".bytes"] = bytes;
            await lab.Log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"GET /migration/timeseries{query}: {bytes / 1024.0:0} KiB, median {ArmSummary.MedianOf(times):0} ms (max {times.Max():0} ms), server CPU {ArmSummary.MedianOf(cpu):0.00} s")).ConfigureAwait(false);
        }

        report.Goals.Add(GoalResult.AtMost($"{day} at 10 s steps: response size", report.Ratios["window.10s.bytes"] / 1024.0 / 1024.0, 4, " MiB"));
        report.Goals.Add(GoalResult.AtMost($"{day} at 10 s steps: median time", report.Ratios["window.10s.medianMs"], 5000, " ms"));
        report.AddNote("uncompressed JSON (Accept-Encoding: identity); time from request to last byte on loopback, after one warm-up call.");
        return report;
    }

    /// <summary>Per second and instance: a primary and a shadow bucket all window long, a canary bucket in its second half.</summary>
    private static async Task<long> SeedAsync(string connectionString, DateTimeOffset now, int hours, CancellationToken ct)
    {
        var random = new Random(42);
        // A pool of realistic histograms (about 20 requests each), reused: a day is ~650k buckets.
        var pool = Enumerable.Range(0, 256).Select(_ => Histogram(random, 20)).ToArray();
        var start = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero).AddHours(-hours);
        var seconds = hours * 3600;
        long rows = 0;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        var batch = new List<TrafficBucket>(50_000);
        for (var s = 0; s < seconds; s++)
        {
            var second = start.AddSeconds(s);
            for (var i = 0; i < Instances; i++)
            {
                var instance = "pod-" + i.ToString(CultureInfo.InvariantCulture);
                batch.Add(Bucket(second, instance, TrafficArm.Primary, 20, pool[random.Next(pool.Length)], random));
                batch.Add(Bucket(second, instance, TrafficArm.Shadow, 4, pool[random.Next(pool.Length)], random));
                if (s >= seconds / 2)
                {
                    batch.Add(Bucket(second, instance, TrafficArm.Canary, 5, pool[random.Next(pool.Length)], random));
                }
            }

            if (batch.Count >= 45_000)
            {
                rows += (long)await RecordCopy.CopyAsync(connection, batch, ct).ConfigureAwait(false);
                batch.Clear();
            }
        }

        rows += (long)await RecordCopy.CopyAsync(connection, batch, ct).ConfigureAwait(false);
        var half = start.AddSeconds(seconds / 2);
        await using var events = new NpgsqlCommand(
            "INSERT INTO canary_events (migration, time, from_state, to_state, from_weight, to_weight, actor, reason) VALUES " +
            "('default', $1, 'idle', 'ramping', 0, 5, 'api', 'seeded start'), ('default', $2, 'ramping', 'ramping', 5, 10, 'controller', 'seeded advance'), " +
            "('default', $3, 'ramping', 'rolled_back', 10, 0, 'controller', 'seeded rollback')", connection);
        events.Parameters.Add(new NpgsqlParameter { Value = half.UtcDateTime });
        events.Parameters.Add(new NpgsqlParameter { Value = half.AddHours(hours / 4.0).UtcDateTime });
        events.Parameters.Add(new NpgsqlParameter { Value = now.AddMinutes(-5).UtcDateTime });
        await events.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        await using var analyze = new NpgsqlCommand("ANALYZE traffic_buckets", connection);
        await analyze.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        return rows;
    }

    private static TrafficBucket Bucket(DateTimeOffset second, string instance, TrafficArm arm, int requests, LatencyHistogram latency, Random random)
    {
        var errors = random.NextDouble() < 0.05 ? 1 : 0;
        return new TrafficBucket
        {
            Second = second,
            Instance = instance,
            Arm = arm,
            Model = "gpt-4.1",
            Requests = requests,
            Successes = requests - errors,
            ErrorsServer = errors,
            ShadowSampled = arm == TrafficArm.Primary ? 4 : 0,
            Latency = latency,
            Ttft = latency,
        };
    }

    private static LatencyHistogram Histogram(Random random, int count)
    {
        var h = new LatencyHistogram();
        for (var i = 0; i < count; i++)
        {
            h.RecordMicroseconds((long)Math.Exp(12.5 + (0.6 * ((random.NextDouble() + random.NextDouble() + random.NextDouble()) - 1.5))));
        }

        return h;
    }
}
