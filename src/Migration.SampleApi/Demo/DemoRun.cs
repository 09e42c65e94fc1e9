using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Migration.Core.Reporting;
using Migration.Migrations;
using Migration.Simulator;

namespace Migration.SampleApi.Demo;

/// <summary>
/// One demo run: PostgreSQL (MIGRATION_DB or a throwaway local cluster), two simulated providers ("openai", the
/// primary, and "holysheep", the candidate, with different latency and a partial agreement), one of the two sample
/// apps with the harness dropped in (<see cref="SampleMode"/>: the gateway with the middleware, or the support app
/// with the handler on its provider HttpClient), and synthetic traffic (the OpenAI SDK, or plain questions). The story: shadow until READY, the
/// canary started through the admin API and ramped by the controller, a candidate outage injected through the
/// simulator, the automatic rollback (failed candidate calls fall back, so no client request fails), the summary.
/// </summary>
internal sealed class DemoRun
{
    internal const string AdminKey = "demo-admin-key-0123456789";
    internal const string PrimaryKey = "sk-demo-primary-0123456789abcdef";
    internal const string CandidateKey = "sk-demo-holysheep-0123456789abcdef";

    private static readonly JsonSerializerOptions Json = new(ReportJson.Options) { WriteIndented = true };
    private readonly DemoArguments _args;
    private readonly DemoTiming _timing;
    private volatile string? _canaryState;
    private double _canaryWeight;
    private readonly TextWriter _out;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public DemoRun(DemoArguments args, TextWriter output)
    {
        _args = args;
        _out = output;
        _timing = DemoTiming.For(args.DurationSeconds);
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        Say($"Migration harness demo ({Describe(_args.Mode)}): {_args.DurationSeconds} s of traffic, {_args.Concurrency} concurrent clients");

        await using var database = await DemoDatabase.AcquireAsync(cancellationToken);
        Say($"PostgreSQL: {database.Description}");
        await MigrationDatabase.MigrateAsync(database.ConnectionString, cancellationToken);
        Say("schema migrated");

        string[] models = [.. DemoTraffic.ChatModels, DemoTraffic.EmbeddingModel];
        await using var primary = await SimulatorHost.StartAsync(
            new SimulatorOptions
            {
                Name = "openai", ApiKey = PrimaryKey, Models = [.. models], AgreementRate = 1.0, Seed = 7,
                TtftMedianMs = 60, TtftP99Ms = 250, ChunkDelayMedianMs = 4, ChunkDelayP99Ms = 15,
            },
            cancellationToken);
        await using var candidate = await SimulatorHost.StartAsync(
            new SimulatorOptions
            {
                Name = "holysheep", ApiKey = CandidateKey, Models = [.. models], AgreementRate = 0.93, Seed = 7,
                TtftMedianMs = 45, TtftP99Ms = 200, ChunkDelayMedianMs = 3, ChunkDelayP99Ms = 12,
            },
            cancellationToken);
        Say($"primary simulator   {primary.Name} at {primary.Url}");
        Say($"candidate simulator {candidate.Name} at {candidate.Url}");

        var startedAt = TimeProvider.System.GetUtcNow().AddSeconds(-1);
        await using var app = SampleApps.Build(_args.Mode, [], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                ["Logging:LogLevel:Migration.AspNetCore"] = "Error",
                ["Upstream:BaseUrl"] = primary.Url + "/v1",
                ["Upstream:ApiKey"] = PrimaryKey,
                ["ConnectionStrings:Migration"] = database.ConnectionString,
                ["Migration:InstanceName"] = "demo-1",
                ["Migration:Primary:Name"] = "openai",
                ["Migration:Primary:BaseUrl"] = primary.Url + "/v1",
                ["Migration:Primary:ApiKey"] = PrimaryKey,
                ["Migration:Candidate:Name"] = "holysheep",
                ["Migration:Candidate:BaseUrl"] = candidate.Url + "/v1",
                ["Migration:Candidate:ApiKey"] = CandidateKey,
                ["Migration:CandidateDiscount"] = "0.3",
                ["Migration:Shadow:SampleRate"] = "1.0",
                ["Migration:Shadow:StickyKey"] = "header:X-User-Id",
                ["Migration:Readiness:MinCompared"] = "50",
                ["Migration:Readiness:MinMatchRate"] = "0.85",
                ["Migration:Admin:ApiKey"] = AdminKey,
                ["Migration:Canary:Steps:0"] = "5",
                ["Migration:Canary:Steps:1"] = "10",
                ["Migration:Canary:Steps:2"] = "25",
                ["Migration:Canary:Steps:3"] = "50",
                ["Migration:Canary:Steps:4"] = "100",
                ["Migration:Canary:StepHold"] = _timing.StepHold.ToString("c", CultureInfo.InvariantCulture),
                ["Migration:Canary:Interval"] = _timing.Interval.ToString("c", CultureInfo.InvariantCulture),
                ["Migration:Canary:Window"] = _timing.Window.ToString("c", CultureInfo.InvariantCulture),
                ["Migration:Canary:MinRequests"] = _timing.MinRequests.ToString(CultureInfo.InvariantCulture),
                ["Migration:Canary:PollInterval"] = "00:00:02",
            });
        });
        await app.StartAsync(cancellationToken);
        var apiUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Say($"{(_args.Mode == SampleMode.Outgoing ? "support app" : "sample API")} (harness in shadow mode) at {apiUrl}");
        Say($"dashboard: {apiUrl}/migration/dashboard   report: {apiUrl}/migration/report   (header X-Migration-Key: {AdminKey})");

        using var admin = new HttpClient { BaseAddress = new Uri(apiUrl), Timeout = TimeSpan.FromSeconds(30) };
        admin.DefaultRequestHeaders.Add("X-Migration-Key", AdminKey);
        var since = Uri.EscapeDataString(startedAt.ToString("O", CultureInfo.InvariantCulture));

        using IDemoClients clients = _args.Mode == SampleMode.Outgoing ? new SupportClients(new Uri(apiUrl)) : new GatewayClients(new Uri(apiUrl.TrimEnd('/') + "/v1"));
        var traffic = new DemoTraffic(clients);
        var deadline = TimeSpan.FromSeconds(_args.DurationSeconds);
        using var stopTraffic = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var run = traffic.RunAsync(_args.Concurrency, stopTraffic.Token);
        var trafficStart = _clock.Elapsed;

        // Phase 1: shadow until the report says READY (at most a third of the run).
        Say("phase 1: shadow - production answered by openai, every request mirrored to holysheep off the hot path");
        var shadowUntil = trafficStart + TimeSpan.FromSeconds(Math.Max(4, _args.DurationSeconds * 0.25));
        MigrationReport? live = null;
        var lastPrint = TimeSpan.Zero;
        while (_clock.Elapsed < shadowUntil && !run.IsCompleted)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            live = await TryGetReportAsync(admin, since, cancellationToken) ?? live;
            var ready = live?.Shadow.Recommendation == "READY";
            if (ready || _clock.Elapsed - lastPrint >= TimeSpan.FromSeconds(3))
            {
                lastPrint = _clock.Elapsed;
                PrintTraffic(traffic, live);
            }

            if (ready)
            {
                break;
            }
        }

        Say(live?.Shadow.Recommendation == "READY"
            ? "shadow report: READY - starting the canary"
            : $"shadow report: {live?.Shadow.Recommendation ?? "n/a"} after the shadow phase - starting the canary anyway for the demo");

        // Phase 2: the canary ramp, driven by the controller; every transition printed as it happens.
        var startRefused = false;
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watcher = WatchCanaryAsync(admin, watch.Token);
        Say($"phase 2: canary - POST /migration/canary/start; steps {string.Join(" -> ", DemoTiming.Steps)} %, each held {_timing.StepHold.TotalSeconds:0.#} s, controller every {_timing.Interval.TotalSeconds:0.##} s");
        using (var start = await admin.PostAsJsonAsync("/migration/canary/start", new { reason = "demo: shadow report " + (live?.Shadow.Recommendation ?? "n/a") }, cancellationToken))
        {
            if (!start.IsSuccessStatusCode)
            {
                startRefused = true;
                Say("canary start refused: " + await start.Content.ReadAsStringAsync(cancellationToken));
            }
        }

        // Phase 3: once the ramp reached 50 % (or the run is two thirds through), the candidate goes down.
        var faultBy = trafficStart + TimeSpan.FromSeconds(_args.DurationSeconds * 0.7);
        while (_clock.Elapsed < faultBy && !run.IsCompleted && _canaryWeight < 50)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        Say($"phase 3: candidate outage - holysheep now answers every request with 500 (simulator fault), canary at {_canaryWeight:0.##} %");
        candidate.Faults = new FaultSettings { Error500Rate = 1 };
        var faultAt = _clock.Elapsed;
        var failedBefore = traffic.Failed;
        var rollbackBy = faultAt + TimeSpan.FromSeconds(Math.Max(10, _timing.Interval.TotalSeconds * 10));
        while (_clock.Elapsed < rollbackBy && _canaryState != "rolled_back" && !run.IsCompleted)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }

        var rolledBack = _canaryState == "rolled_back";
        Say(rolledBack
            ? $"automatic rollback {(_clock.Elapsed - faultAt).TotalSeconds:0.0} s after the outage began; client requests failed meanwhile: {traffic.Failed - failedBefore} (failed candidate calls fell back to openai)"
            : "no rollback within the time allowed");

        // Let the traffic run to the end of the duration (at least 2 s after the rollback).
        var endAt = TimeSpan.FromSeconds(Math.Max((trafficStart + deadline).TotalSeconds, (_clock.Elapsed + TimeSpan.FromSeconds(2)).TotalSeconds));
        while (_clock.Elapsed < endAt && !run.IsCompleted)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }

        await stopTraffic.CancelAsync();
        await run;
        Say("traffic stopped; waiting for the shadow queue and the recorder to drain");
        var report = await WaitForStableReportAsync(admin, since, cancellationToken);
        await watch.CancelAsync();
        await watcher;
        await app.StopAsync(CancellationToken.None);

        _out.WriteLine();
        _out.WriteLine("== Summary ==");
        _out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"client side: {traffic.Sent} requests ({traffic.Streamed} streamed, {traffic.Embeddings} embeddings), {traffic.Ok} ok, {traffic.Failed} failed, p50 {traffic.Latency.PercentileMilliseconds(50):0.0} ms, p99 {traffic.Latency.PercentileMilliseconds(99):0.0} ms"));
        if (report is null)
        {
            _out.WriteLine("the report could not be read");
            return 1;
        }

        _out.WriteLine(ReportTextWriter.Render(report));
        var automatic = false;
        if (report.Canary is { } canary)
        {
            _out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"canary: {canary.State} at {canary.Weight:0.##} %; events, oldest first:"));
            foreach (var e in canary.Events.Reverse())
            {
                _out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {e.Time:HH:mm:ss.fff}  {e.FromState,-11} {e.FromWeight,5:0.##}% -> {e.ToState,-11} {e.ToWeight,5:0.##}%  {e.Actor,-10}  {e.Reason}"));
                // Only this run's rollback counts (a database reused from an earlier run has older events).
                automatic |= e.Actor == "controller" && e.ToState == "rolled_back" && e.Time >= startedAt;
            }
        }

        if (_args.ReportJsonPath is { } path)
        {
            var full = Path.GetFullPath(path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, JsonSerializer.Serialize(report, Json), cancellationToken);
            _out.WriteLine($"report JSON written to {full}");
        }

        return traffic.Failed == 0 && report.Shadow.Compared > 0 && automatic && !startRefused ? 0 : 1;
    }

    private async Task WatchCanaryAsync(HttpClient admin, CancellationToken cancellationToken)
    {
        long version = -1;
        long lastEvent = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var canary = await admin.GetFromJsonAsync<JsonElement>("/migration/canary", cancellationToken);
                _canaryState = canary.GetProperty("state").GetString();
                _canaryWeight = canary.GetProperty("weight").GetDouble();
                var current = canary.GetProperty("version").GetInt64();
                if (current != version)
                {
                    version = current;
                    foreach (var e in canary.GetProperty("events").EnumerateArray().Reverse())
                    {
                        var id = e.GetProperty("id").GetInt64();
                        if (id <= lastEvent)
                        {
                            continue;
                        }

                        lastEvent = id;
                        Say(string.Create(CultureInfo.InvariantCulture,
                            $"canary: {e.GetProperty("fromState").GetString()} {e.GetProperty("fromWeight").GetDouble():0.##}% -> {e.GetProperty("toState").GetString()} {e.GetProperty("toWeight").GetDouble():0.##}% by {e.GetProperty("actor").GetString()}: {e.GetProperty("reason").GetString()}"));
                    }
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException or KeyNotFoundException or InvalidOperationException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), CancellationToken.None);
            }
        }
    }

    private void PrintTraffic(DemoTraffic traffic, MigrationReport? live) =>
        Say($"sent {traffic.Sent,6}  ok {traffic.Ok,6}  failed {traffic.Failed,3}  client p50 {traffic.Latency.PercentileMilliseconds(50),6:0.0} ms"
            + (live is null ? string.Empty : $" | mirrored {live.Shadow.Total,6}  compared {live.Shadow.Compared,6}  dropped {live.Shadow.Dropped,3}  match {Pct(live.Shadow.MatchRate)}  -> {live.Shadow.Recommendation}"));

    private static async Task<MigrationReport?> TryGetReportAsync(HttpClient admin, string since, CancellationToken cancellationToken)
    {
        try
        {
            return await admin.GetFromJsonAsync<MigrationReport>($"/migration/report?since={since}", Json, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static async Task<MigrationReport?> WaitForStableReportAsync(HttpClient admin, string since, CancellationToken cancellationToken)
    {
        MigrationReport? last = null;
        var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 20);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            var current = await TryGetReportAsync(admin, since, cancellationToken);
            if (current is not null && last is not null && current.Shadow.Total == last.Shadow.Total && current.Shadow.Total > 0)
            {
                return current;
            }

            last = current ?? last;
        }

        return last;
    }

    private static string Describe(SampleMode mode) => mode == SampleMode.Outgoing
        ? "outgoing: a support app calling its provider through the OpenAI SDK, the harness on its HttpClient"
        : "middleware: an OpenAI-compatible gateway, the harness in front of its endpoints";

    private static string Pct(double? v) => v is { } x ? (x * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %" : "n/a";

    /// <summary>A progress line (left out with <c>--quiet</c>; the final report and its verdict are always printed).</summary>
    private void Say(string line)
    {
        if (!_args.Quiet)
        {
            _out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{_clock.Elapsed.TotalSeconds,5:0.0}s] {line}"));
        }
    }
}
