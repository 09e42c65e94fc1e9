using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Migration.SampleApi;
using Migration.Simulator;
using Migration.TestKit;
using Npgsql;
using OpenAI;

namespace Migration.IntegrationTests.Stack;

/// <summary>
/// The whole product on loopback for one test: a primary and a candidate simulator on Kestrel port 0, a migrated
/// PostgreSQL database, and a sample app (the "existing app": the gateway with the middleware, or the support app
/// with the handler on its provider HttpClient, by <see cref="MigrationStackOptions.Mode"/>) on Kestrel port 0.
/// Gives clients for the app (raw HTTP, the OpenAI SDK, the admin API) and SQL access to what was recorded.
/// </summary>
internal sealed class MigrationStack : IAsyncDisposable
{
    private readonly TestDatabase? _ownedDatabase;
    private WebApplication? _app;
    private int _disposed;

    private MigrationStack(MigrationStackOptions options, SimulatorHost primary, SimulatorHost? candidate, TestDatabase? ownedDatabase, string? connectionString)
    {
        Options = options;
        Primary = primary;
        Candidate = candidate;
        _ownedDatabase = ownedDatabase;
        ConnectionString = connectionString;
    }

    /// <summary>What was started.</summary>
    public MigrationStackOptions Options { get; }

    /// <summary>The primary provider the app calls.</summary>
    public SimulatorHost Primary { get; }

    /// <summary>The candidate the harness mirrors to; null without the harness or after <see cref="StopCandidateAsync"/>.</summary>
    public SimulatorHost? Candidate { get; private set; }

    /// <summary>The candidate's base URL as configured (stays valid, and refused, after the candidate stopped).</summary>
    public string? CandidateBaseUrl { get; private set; }

    /// <summary>The harness database; null without the harness.</summary>
    public string? ConnectionString { get; }

    /// <summary>The app's root URL, e.g. <c>http://127.0.0.1:PORT</c>.</summary>
    public string Url { get; private set; } = "";

    /// <summary>The app's services (harness internals for assertions).</summary>
    public IServiceProvider Services => App.Services;

    /// <summary>A client of the app (no admin key).</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>A client of the app with the admin key in <c>X-Migration-Key</c>.</summary>
    public HttpClient Admin { get; private set; } = null!;

    private WebApplication App => _app ?? throw new InvalidOperationException("The stack is not started.");

    /// <summary>Starts simulators, database (unless given) and the app; everything is torn down on dispose.</summary>
    public static async Task<MigrationStack> StartAsync(MigrationStackOptions? options = null)
    {
        options ??= new MigrationStackOptions();
        var clock = options.SimulatorClock ?? TimeProvider.System;
        SimulatorHost? primary = null;
        SimulatorHost? candidate = null;
        TestDatabase? database = null;
        MigrationStack? stack = null;
        try
        {
            primary = await SimulatorHost.StartAsync(options.Primary, clock, CancellationToken.None);
            string? connectionString = null;
            if (options.Harness)
            {
                candidate = await SimulatorHost.StartAsync(options.Candidate, clock, CancellationToken.None);
                if (options.ConnectionString is { } given)
                {
                    connectionString = given;
                }
                else
                {
                    database = await TestDatabase.CreateAsync("itest");
                    connectionString = database.ConnectionString;
                }
            }

            stack = new MigrationStack(options, primary, candidate, database, connectionString);
            await stack.StartAppAsync();
            return stack;
        }
        catch
        {
            if (stack is not null)
            {
                await stack.DisposeAsync();
            }
            else
            {
                if (candidate is not null)
                {
                    await candidate.DisposeAsync();
                }

                if (primary is not null)
                {
                    await primary.DisposeAsync();
                }

                if (database is not null)
                {
                    await database.DisposeAsync();
                }
            }

            throw;
        }
    }

    /// <summary>An OpenAI SDK client of the app (no retries, so every call is one request).</summary>
    public OpenAIClient CreateOpenAIClient() =>
        new(new ApiKeyCredential(StackKeys.Client), new OpenAIClientOptions
        {
            Endpoint = new Uri(Url + "/v1"),
            RetryPolicy = new ClientRetryPolicy(0),
            NetworkTimeout = TimeSpan.FromSeconds(30),
        });

    /// <summary>Stops the candidate: its port closes and connections to it are refused.</summary>
    public async Task StopCandidateAsync()
    {
        if (Candidate is { } candidate)
        {
            Candidate = null;
            await candidate.DisposeAsync();
        }
    }

    /// <summary>Sends a POST with a JSON body to the app and reads the whole answer.</summary>
    public async Task<AppResponse> PostAsync(string path, string json)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(path, content);
        var body = await response.Content.ReadAsByteArrayAsync();
        return new AppResponse((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
    }

    /// <summary><c>GET /migration/status</c> as JSON.</summary>
    public async Task<JsonElement> GetStatusAsync()
    {
        using var document = JsonDocument.Parse(await Admin.GetStringAsync("/migration/status"));
        return document.RootElement.Clone();
    }

    /// <summary><c>GET /migration/report{query}</c> as JSON (must answer 200).</summary>
    public async Task<JsonElement> GetReportAsync(string query = "")
    {
        using var response = await Admin.GetAsync("/migration/report" + query);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET /migration/report{query} answered {(int)response.StatusCode}: {text}");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Rows in <c>shadow_results</c>.</summary>
    public Task<long> CountShadowRowsAsync(string where = "true") => ScalarAsync<long>($"SELECT count(*) FROM shadow_results WHERE {where}");

    /// <summary>Runs a scalar query on the harness database.</summary>
    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = await OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default! : (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture);
    }

    /// <summary>An open connection to the harness database (not pooled: the test may stop the server).</summary>
    public async Task<NpgsqlConnection> OpenConnectionAsync()
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString ?? throw new InvalidOperationException("No harness database.")) { Pooling = false };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Waits (bounded) until <c>shadow_results</c> holds at least <paramref name="count"/> rows matching <paramref name="where"/>.</summary>
    public Task WaitForShadowRowsAsync(long count, string where = "true", TimeSpan? timeout = null) =>
        Eventually.UntilAsync(
            $"{count} shadow_results rows where {where}",
            async () => await CountShadowRowsAsync(where) >= count,
            timeout,
            async () => $"{await CountShadowRowsAsync(where)} rows; status {await DescribeStatusAsync()}");

    /// <summary>
    /// Waits (bounded) until the harness is idle: shadow queue empty, every enqueued exchange mirrored or dropped,
    /// nothing pending in the writer, and the counters unchanged over several polls.
    /// </summary>
    public async Task WaitForQuietAsync(TimeSpan? timeout = null)
    {
        string? last = null;
        var stableSince = 0;
        await Eventually.UntilAsync(
            "the harness to go quiet",
            async () =>
            {
                var status = await GetStatusAsync();
                var shadow = status.GetProperty("shadow");
                var sink = status.GetProperty("sink");
                var idle = shadow.GetProperty("queueDepth").GetInt32() == 0
                    && sink.GetProperty("pending").GetInt64() == 0
                    && shadow.GetProperty("enqueued").GetInt64() <= shadow.GetProperty("compared").GetInt64() + shadow.GetProperty("dropped").GetProperty("paused").GetInt64();
                // Provider health moves with every probe and live request: it is not part of "quiet".
                var now = string.Concat(status.EnumerateObject().Where(p => p.Name != "providers").Select(p => p.Value.GetRawText()));
                stableSince = idle && now == last ? stableSince + 1 : 0;
                last = now;
                return stableSince >= 4;
            },
            timeout,
            () => Task.FromResult(last ?? "(none)"));
    }

    /// <summary>
    /// Stops the app gracefully (as a host shutdown does: hosted services drain and flush) and keeps the simulators
    /// and the database, so a test can read what reached storage. The app's services stay readable until dispose.
    /// </summary>
    public async Task StopAppAsync(TimeSpan? timeout = null)
    {
        using var stop = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        await App.StopAsync(stop.Token);
    }

    /// <summary>Stops the app gracefully (hosted services flush), then the simulators, then drops an owned database.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Http?.Dispose();
        Admin?.Dispose();
        if (_app is { } app)
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await app.StopAsync(stop.Token);
            }
            finally
            {
                await app.DisposeAsync();
            }
        }

        await StopCandidateAsync();
        await Primary.DisposeAsync();
        if (_ownedDatabase is not null)
        {
            await _ownedDatabase.DisposeAsync();
        }
    }

    private async Task<string> DescribeStatusAsync()
    {
        try
        {
            return (await GetStatusAsync()).GetRawText();
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException)
        {
            return "(status unavailable: " + ex.Message + ")";
        }
    }

    private async Task StartAppAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Upstream:BaseUrl"] = Primary.Url + "/v1",
            ["Upstream:ApiKey"] = StackKeys.Primary,
            ["Upstream:Timeout"] = "00:00:30",
        };

        if (Options.Harness)
        {
            CandidateBaseUrl = Candidate!.Url + "/v1";
            settings["ConnectionStrings:Migration"] = ConnectionString;
            settings["Migration:InstanceName"] = "itest-1";
            settings["Migration:Primary:Name"] = Primary.Name;
            settings["Migration:Primary:ApiKey"] = StackKeys.Primary;
            if (Options.HarnessKnowsPrimaryUrl)
            {
                settings["Migration:Primary:BaseUrl"] = Primary.Url + "/v1";
            }

            settings["Migration:Candidate:Name"] = Candidate.Name;
            settings["Migration:Candidate:BaseUrl"] = CandidateBaseUrl;
            settings["Migration:Candidate:ApiKey"] = StackKeys.Candidate;
            settings["Migration:Candidate:ConnectTimeout"] = "00:00:02";
            settings["Migration:Shadow:SampleRate"] = "1.0";
            settings["Migration:Shadow:Timeout"] = "00:00:05";

            // Noise-floor calls hit the primary simulator at random: off unless a test turns it on, so counts stay exact.
            settings["Migration:Shadow:NoiseFloorRate"] = "0";
            settings["Migration:Admin:ApiKey"] = StackKeys.Admin;
        }

        foreach (var (key, value) in Options.Settings)
        {
            settings[key] = value;
        }

        var app = SampleApps.Build(Options.Mode, [], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Configuration.AddInMemoryCollection(settings);
            if (Options.Storage is { } storage)
            {
                // Runs before AddMigrationPostgres's own Configure (which only sets the connection string).
                builder.Services.Configure(storage);
            }
        });
        _app = app;
        await app.StartAsync();
        Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        Http = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(30) };
        Admin = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(30) };
        Admin.DefaultRequestHeaders.Add("X-Migration-Key", StackKeys.Admin);
    }
}

/// <summary>What the app answered: status, media type and the exact body bytes.</summary>
internal sealed record AppResponse(int Status, string? MediaType, byte[] Body)
{
    /// <summary>The body as UTF-8 text.</summary>
    public string Text => System.Text.Encoding.UTF8.GetString(Body);
}
