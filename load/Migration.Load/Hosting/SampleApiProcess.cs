using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Migration.Load.Hosting;

/// <summary>How the system under test is configured: bare, or with the harness and its settings.</summary>
internal sealed record SutConfig
{
    /// <summary>The primary provider the app itself calls.</summary>
    public required string PrimaryBaseUrl { get; init; }

    /// <summary>Null = bare app (no Migration section at all).</summary>
    public HarnessConfig? Harness { get; init; }
}

/// <summary>The harness part of <see cref="SutConfig"/>.</summary>
internal sealed record HarnessConfig
{
    public required string CandidateBaseUrl { get; init; }

    public required string ConnectionString { get; init; }

    public bool ShadowEnabled { get; init; }

    public double SampleRate { get; init; } = 1.0;

    /// <summary>Extra Migration:* settings as "Shadow:QueueCapacity" = "100".</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
}

/// <summary>The sample API (src/Migration.SampleApi) as its own process on a free port.</summary>
internal sealed class SampleApiProcess : IAsyncDisposable
{
    public const string AdminKey = "load-admin-key-0123456789";
    private readonly HttpClient _admin;

    private SampleApiProcess(ManagedProcess process, string url)
    {
        Process = process;
        Url = url;
        _admin = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
        _admin.DefaultRequestHeaders.Add("X-Migration-Key", AdminKey);
    }

    /// <summary>Server root, e.g. http://127.0.0.1:PORT.</summary>
    public string Url { get; }

    public ManagedProcess Process { get; }

    public static async Task<SampleApiProcess> StartAsync(LoadLab lab, string name, SutConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(config);
        var dll = await ReleaseBuild.EnsureAsync("Migration.SampleApi", lab.Log, cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
            var env = Environment(config, url);
            var process = ManagedProcess.StartDotnet("sut-" + name, dll, [], env, lab.LogDirectory);
            try
            {
                await process.WaitHealthyAsync(new Uri(url + "/healthz"), TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
                return new SampleApiProcess(process, url);
            }
            catch (InvalidOperationException ex) when (attempt < 3 && ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await process.DisposeAsync().ConfigureAwait(false);
            }
            catch
            {
                await process.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>The environment the app is started with (the only thing arms differ in).</summary>
    internal static Dictionary<string, string?> Environment(SutConfig config, string url)
    {
        var env = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["ASPNETCORE_URLS"] = url,
            ["Upstream__BaseUrl"] = config.PrimaryBaseUrl,
            ["Upstream__ApiKey"] = "sk-load-primary",
        };
        if (config.Harness is { } h)
        {
            env["Migration__Enabled"] = "true";
            env["Migration__Primary__BaseUrl"] = config.PrimaryBaseUrl;
            env["Migration__Candidate__BaseUrl"] = h.CandidateBaseUrl;
            env["Migration__Candidate__ApiKey"] = "sk-load-candidate";
            env["Migration__Shadow__Enabled"] = h.ShadowEnabled ? "true" : "false";
            env["Migration__Shadow__SampleRate"] = h.SampleRate.ToString(CultureInfo.InvariantCulture);
            env["Migration__Admin__ApiKey"] = AdminKey;
            env["ConnectionStrings__Migration"] = h.ConnectionString;
            foreach (var (key, value) in h.Settings)
            {
                env["Migration__" + key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }
        }

        return env;
    }

    /// <summary>GET /migration/status (harness arms only).</summary>
    public async Task<JsonElement?> StatusAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _admin.GetFromJsonAsync<JsonElement>(new Uri("/migration/status", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>GET {path} on the admin surface (e.g. /migration/canary, /migration/health) as JSON; null when unreachable.</summary>
    public async Task<JsonElement?> GetJsonAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await _admin.GetAsync(new Uri(path, UriKind.Relative), cancellationToken).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>POST /migration/canary/{command} with an optional JSON body; throws unless 2xx.</summary>
    public async Task CanaryCommandAsync(string command, string? json = null, CancellationToken cancellationToken = default)
    {
        using var content = json is null ? null : new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await _admin.PostAsync(new Uri("/migration/canary/" + command, UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST /migration/canary/{command} on {Url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        await Process.DisposeAsync().ConfigureAwait(false);
    }
}
