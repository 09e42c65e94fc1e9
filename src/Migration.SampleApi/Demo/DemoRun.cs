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
/// primary, and "holysheep", the candidate, with different latency and a partial agreement), this API with the
/// harness dropped in, and synthetic traffic through the official OpenAI SDK. Prints progress and the report.
/// </summary>
internal sealed class DemoRun
{
    internal const string AdminKey = "demo-admin-key-0123456789";
    internal const string PrimaryKey = "sk-demo-primary-0123456789abcdef";
    internal const string CandidateKey = "sk-demo-holysheep-0123456789abcdef";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly DemoArguments _args;
    private readonly TextWriter _out;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public DemoRun(DemoArguments args, TextWriter output)
    {
        _args = args;
        _out = output;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        Say($"Migration harness demo: {_args.DurationSeconds} s of traffic, {_args.Concurrency} concurrent clients");

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
        await using var app = SampleApiApp.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
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
            });
        });
        await app.StartAsync(cancellationToken);
        var apiUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Say($"sample API (harness in shadow mode) at {apiUrl}");
        Say($"dashboard: {apiUrl}/migration/dashboard   report: {apiUrl}/migration/report   (header X-Migration-Key: {AdminKey})");

        using var admin = new HttpClient { BaseAddress = new Uri(apiUrl), Timeout = TimeSpan.FromSeconds(30) };
        admin.DefaultRequestHeaders.Add("X-Migration-Key", AdminKey);
        var since = Uri.EscapeDataString(startedAt.ToString("O", CultureInfo.InvariantCulture));

        var traffic = new DemoTraffic(new Uri(apiUrl + "/v1"));
        Say("phase 1: shadow - production answered by openai, every request mirrored to holysheep off the hot path");
        using (var until = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            until.CancelAfter(TimeSpan.FromSeconds(_args.DurationSeconds));
            var run = traffic.RunAsync(_args.Concurrency, until.Token);
            while (!run.IsCompleted)
            {
                await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None));
                if (!run.IsCompleted)
                {
                    var live = await TryGetReportAsync(admin, since, cancellationToken);
                    Say($"sent {traffic.Sent,6}  ok {traffic.Ok,6}  failed {traffic.Failed,3}  client p50 {traffic.Latency.PercentileMilliseconds(50),6:0.0} ms"
                        + (live is null ? string.Empty : $" | mirrored {live.Shadow.Total,6}  compared {live.Shadow.Compared,6}  dropped {live.Shadow.Dropped,3}  match {Pct(live.Shadow.MatchRate)}  -> {live.Shadow.Recommendation}"));
                }
            }

            await run;
        }

        Say("traffic stopped; waiting for the shadow queue and the recorder to drain");
        var report = await WaitForStableReportAsync(admin, since, cancellationToken);
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
        if (_args.ReportJsonPath is { } path)
        {
            var full = Path.GetFullPath(path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, JsonSerializer.Serialize(report, Json), cancellationToken);
            _out.WriteLine($"report JSON written to {full}");
        }

        return traffic.Failed == 0 && report.Shadow.Compared > 0 ? 0 : 1;
    }

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

    private static string Pct(double? v) => v is { } x ? (x * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %" : "n/a";

    private void Say(string line) =>
        _out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{_clock.Elapsed.TotalSeconds,5:0.0}s] {line}"));
}
