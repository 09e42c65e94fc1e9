using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Migration.Load.Hosting;

/// <summary>A simulated provider (src/Migration.Simulator) as its own process on a free port.</summary>
internal sealed class SimulatorProcess : IAsyncDisposable
{
    private readonly ManagedProcess _process;
    private readonly HttpClient _control;

    private SimulatorProcess(ManagedProcess process, string url)
    {
        _process = process;
        Url = url;
        _control = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>Server root, e.g. http://127.0.0.1:PORT.</summary>
    public string Url { get; }

    /// <summary>The provider base URL, e.g. http://127.0.0.1:PORT/v1.</summary>
    public string BaseUrl => Url + "/v1";

    public ManagedProcess Process => _process;

    /// <summary>Starts a simulator; <paramref name="options"/> are its switches without the dashes (e.g. "ttft-median-ms" = "20").</summary>
    public static async Task<SimulatorProcess> StartAsync(
        LoadLab lab, string name, IReadOnlyDictionary<string, string>? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var dll = await ReleaseBuild.EnsureAsync("Migration.Simulator", lab.Log, cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
            var args = new List<string> { "--urls", url, "--name", name };
            foreach (var (key, value) in options ?? new Dictionary<string, string>())
            {
                args.Add("--" + key);
                args.Add(value);
            }

            var process = ManagedProcess.StartDotnet("sim-" + name, dll, args, new Dictionary<string, string?>(), lab.LogDirectory);
            try
            {
                await process.WaitHealthyAsync(new Uri(url + "/_sim/stats"), TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
                return new SimulatorProcess(process, url);
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // The port was taken between probing and binding: try another.
                await process.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Replaces the active faults (PUT /_sim/faults), e.g. <c>{"extraLatencyMs":10000}</c>.</summary>
    public async Task SetFaultsAsync(string json, CancellationToken cancellationToken = default)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await _control.PutAsync(new Uri("/_sim/faults", UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"PUT /_sim/faults on {Url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}");
        }
    }

    /// <summary>GET /_sim/stats as JSON.</summary>
    public async Task<JsonElement> StatsAsync(CancellationToken cancellationToken = default) =>
        await _control.GetFromJsonAsync<JsonElement>(new Uri("/_sim/stats", UriKind.Relative), cancellationToken).ConfigureAwait(false);

    /// <summary>DELETE /_sim/stats: counters (and max in flight) start again from zero.</summary>
    public async Task ResetStatsAsync(CancellationToken cancellationToken = default)
    {
        using var response = await _control.DeleteAsync(new Uri("/_sim/stats", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        _control.Dispose();
        await _process.DisposeAsync().ConfigureAwait(false);
    }
}
