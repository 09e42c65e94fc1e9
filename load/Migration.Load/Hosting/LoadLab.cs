using System.Globalization;
using Migration.Load.Driver;
using Migration.Migrations;
using Migration.Postgres.Local;

namespace Migration.Load.Hosting;

/// <summary>Settings of one run of the tool, from the command line.</summary>
internal sealed record LoadSettings
{
    public required string OutputDirectory { get; init; }

    public bool Quick { get; init; }

    /// <summary>--rate: overrides a scenario's open-model rate (requests per second).</summary>
    public double? Rate { get; init; }

    /// <summary>--duration: overrides a scenario's measured duration per arm and round.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>--rounds: overrides the number of rounds of a comparison (at least 3).</summary>
    public int? Rounds { get; init; }

    /// <summary>Measured time per arm and round: --duration, else the quick or full default.</summary>
    public TimeSpan DurationOr(TimeSpan full, TimeSpan quick) => Duration ?? (Quick ? quick : full);
}

/// <summary>
/// Everything one scenario run uses: settings, console log, the driver, a shared PostgreSQL (started on first
/// use) and the processes it started, all stopped on dispose.
/// </summary>
internal sealed class LoadLab : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly SemaphoreSlim _pgGate = new(1, 1);
    private PostgresServer? _postgres;
    private int _databases;

    public LoadLab(LoadSettings settings, TextWriter log, ProgressReporter? progress, CancellationToken cancellationToken)
    {
        Settings = settings;
        Log = log;
        Runner = new ScenarioRunner(progress);
        CancellationToken = cancellationToken;
        LogDirectory = Path.Combine(settings.OutputDirectory, "logs");
    }

    public LoadSettings Settings { get; }

    public TextWriter Log { get; }

    public ScenarioRunner Runner { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>Logs of the child processes.</summary>
    public string LogDirectory { get; }

    /// <summary>Registers something to dispose with the lab (in reverse order).</summary>
    public T Own<T>(T resource)
        where T : IAsyncDisposable
    {
        _owned.Add(resource);
        return resource;
    }

    public Task<SimulatorProcess> StartSimulatorAsync(string name, IReadOnlyDictionary<string, string>? options = null) =>
        OwnAsync(SimulatorProcess.StartAsync(this, name, options, CancellationToken));

    public Task<SampleApiProcess> StartSampleApiAsync(string name, SutConfig config) =>
        OwnAsync(SampleApiProcess.StartAsync(this, name, config, CancellationToken));

    /// <summary>A fresh migrated database on the shared server (MIGRATION_DB, or a throwaway local cluster).</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        await _pgGate.WaitAsync(CancellationToken).ConfigureAwait(false);
        try
        {
            if (_postgres is null)
            {
                await Log.WriteLineAsync("starting PostgreSQL ...").ConfigureAwait(false);
                _postgres = await PostgresServer.AcquireAsync(CancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _pgGate.Release();
        }

        var name = string.Create(CultureInfo.InvariantCulture, $"load_{prefix}_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}");
        var connectionString = await _postgres.CreateDatabaseAsync(name, CancellationToken).ConfigureAwait(false);
        await MigrationDatabase.MigrateAsync(connectionString, CancellationToken).ConfigureAwait(false);
        return connectionString;
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            try
            {
                await _owned[i].DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                await Log.WriteLineAsync($"cleanup: {ex.GetType().Name}: {ex.Message}").ConfigureAwait(false);
            }
        }

        _owned.Clear();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync().ConfigureAwait(false);
            _postgres = null;
        }

        _pgGate.Dispose();
    }

    private async Task<T> OwnAsync<T>(Task<T> starting)
        where T : IAsyncDisposable => Own(await starting.ConfigureAwait(false));
}
