using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Migration.Postgres.Local;

/// <summary>
/// A throwaway PostgreSQL cluster from the locally installed binaries: initdb into a temp folder, started on a
/// free loopback port (as the <c>postgres</c> OS user when running as root), stopped and deleted on dispose.
/// For tests and the demo; never for production data (fsync is off).
/// </summary>
public sealed class LocalPostgres : IAsyncDisposable, IDisposable
{
    private const string OwnerFileName = "owner.pid";
    private const string SuperUser = "postgres";

    private readonly LocalPostgresOptions _options;
    private readonly string _binDir;
    private readonly string _clusterDir;
    private readonly bool _asPostgresUser;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _running;
    private bool _disposed;

    private LocalPostgres(LocalPostgresOptions options, string binDir, string clusterDir, int port, bool asPostgresUser)
    {
        _options = options;
        _binDir = binDir;
        _clusterDir = clusterDir;
        Port = port;
        _asPostgresUser = asPostgresUser;
    }

    /// <summary>Always 127.0.0.1.</summary>
    public string Host => "127.0.0.1";

    /// <summary>The TCP port the server listens on (kept across stop/start).</summary>
    public int Port { get; private set; }

    /// <summary>Connection string to the <c>postgres</c> database as the superuser (trust auth, no password).</summary>
    public string ConnectionString => ConnectionStringFor("postgres");

    /// <summary>Folder of the cluster (data, socket, log).</summary>
    public string Directory => _clusterDir;

    /// <summary>Folder of the binaries used.</summary>
    public string BinariesDirectory => _binDir;

    /// <summary>Whether the server is currently started.</summary>
    public bool IsRunning => _running;

    private string DataDir => Path.Combine(_clusterDir, "data");

    private string SocketDir => Path.Combine(_clusterDir, "sock");

    private string LogFile => Path.Combine(_clusterDir, "server.log");

    /// <summary>Initialises and starts a new cluster.</summary>
    /// <exception cref="PostgresBinariesNotFoundException">No PostgreSQL binaries were found.</exception>
    public static async Task<LocalPostgres> StartAsync(LocalPostgresOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LocalPostgresOptions();
        var binDir = PostgresBinaries.Find(options.BinariesDirectory);
        var root = options.RootDirectory ?? Path.Combine(Path.GetTempPath(), "migration-pg");
        System.IO.Directory.CreateDirectory(root);
        var asPostgresUser = IsRoot();

        if (options.CleanupStaleClusters)
        {
            await CleanupStaleClustersAsync(root, binDir, asPostgresUser, options.CommandTimeout).ConfigureAwait(false);
        }

        var clusterDir = Path.Combine(root, string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}"));
        System.IO.Directory.CreateDirectory(clusterDir);
        System.IO.Directory.CreateDirectory(Path.Combine(clusterDir, "sock"));
        await WriteOwnerFileAsync(clusterDir).ConfigureAwait(false);

        var server = new LocalPostgres(options, binDir, clusterDir, options.Port ?? FreePort(), asPostgresUser);
        try
        {
            if (asPostgresUser)
            {
                await ProcessRunner.RunAsync("chown", ["-R", $"{SuperUser}:{SuperUser}", clusterDir], options.CommandTimeout, cancellationToken).ConfigureAwait(false);
            }

            await server.RunToolAsync(
                "initdb",
                ["-D", server.DataDir, "-A", "trust", "-U", SuperUser, "-E", "UTF8", "--locale=C", "--no-sync"],
                cancellationToken).ConfigureAwait(false);

            // A free port can be taken between probing and binding: retry with another one.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await server.StartServerAsync(cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (InvalidOperationException) when (attempt < 3 && options.Port is null)
                {
                    server.Port = FreePort();
                }
            }

            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Connection string to <paramref name="database"/> on this server.</summary>
    public string ConnectionStringFor(string database)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = Host,
            Port = Port,
            Username = SuperUser,
            Database = database,
        };
        return builder.ConnectionString;
    }

    /// <summary>Creates a database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        await PostgresAdmin.CreateDatabaseAsync(ConnectionString, name, cancellationToken).ConfigureAwait(false);
        return ConnectionStringFor(name);
    }

    /// <summary>Starts the server again (same data folder and port) after <see cref="StopServerAsync"/>.</summary>
    public async Task StartServerAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_running)
            {
                return;
            }

            var serverOptions = string.Create(
                CultureInfo.InvariantCulture,
                $"-p {Port} -k {SocketDir} -c listen_addresses={Host} -c fsync=off -c synchronous_commit=off " +
                $"-c full_page_writes=off -c max_connections={_options.MaxConnections}");
            var timeoutSeconds = ((int)Math.Ceiling(_options.CommandTimeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            try
            {
                await RunToolAsync("pg_ctl", ["-D", DataDir, "-l", LogFile, "-w", "-t", timeoutSeconds, "-o", serverOptions, "start"], cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (InvalidOperationException ex)
            {
                throw new InvalidOperationException($"{ex.Message}{Environment.NewLine}Server log (tail):{Environment.NewLine}{LogTail()}", ex);
            }

            _running = true;
            await WaitUntilAcceptingAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops the server (fast shutdown: clients are disconnected), keeping its data.</summary>
    public async Task StopServerAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_running)
            {
                return;
            }

            await RunToolAsync("pg_ctl", ["-D", DataDir, "-m", "fast", "-w", "-t", "30", "stop"], cancellationToken).ConfigureAwait(false);
            _running = false;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops the server at once and deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await StopImmediatelyAsync(DataDir, _binDir, _asPostgresUser, _options.CommandTimeout).ConfigureAwait(false);
            _running = false;
            TryDeleteDirectory(_clusterDir);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Synchronous dispose, for process-exit handlers.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task WaitUntilAcceptingAsync(CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false, Timeout = 5 };
        var deadline = Stopwatch.GetTimestamp() + (long)(_options.CommandTimeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (NpgsqlException) when (Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private Task<string> RunToolAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        RunToolAsync(_binDir, _asPostgresUser, tool, arguments, _options.CommandTimeout, cancellationToken);

    private static Task<string> RunToolAsync(
        string binDir, bool asPostgresUser, string tool, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var path = Path.Combine(binDir, tool);
        return asPostgresUser
            ? ProcessRunner.RunAsync("runuser", ["-u", SuperUser, "--", path, .. arguments], timeout, cancellationToken)
            : ProcessRunner.RunAsync(path, arguments, timeout, cancellationToken);
    }

    private static async Task StopImmediatelyAsync(string dataDir, string binDir, bool asPostgresUser, TimeSpan timeout)
    {
        if (!File.Exists(Path.Combine(dataDir, "postmaster.pid")))
        {
            return;
        }

        try
        {
            await RunToolAsync(binDir, asPostgresUser, "pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "-t", "30", "stop"], timeout, CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Already stopped (stale pid file) or gone: nothing left to stop.
        }
    }

    private string LogTail()
    {
        try
        {
            var lines = File.ReadAllLines(LogFile);
            return string.Join(Environment.NewLine, lines.TakeLast(20));
        }
        catch (IOException)
        {
            return "(no log)";
        }
        catch (UnauthorizedAccessException)
        {
            return "(log not readable)";
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static bool IsRoot() =>
        OperatingSystem.IsLinux() && string.Equals(Environment.UserName, "root", StringComparison.Ordinal);

    private static async Task WriteOwnerFileAsync(string clusterDir)
    {
        using var self = Process.GetCurrentProcess();
        var content = string.Create(
            CultureInfo.InvariantCulture,
            $"{Environment.ProcessId}{Environment.NewLine}{self.StartTime.ToUniversalTime().Ticks}{Environment.NewLine}");
        await File.WriteAllTextAsync(Path.Combine(clusterDir, OwnerFileName), content).ConfigureAwait(false);
    }

    /// <summary>Best effort: stops and deletes clusters whose owning process is gone.</summary>
    private static async Task CleanupStaleClustersAsync(string root, string binDir, bool asPostgresUser, TimeSpan timeout)
    {
        string[] candidates;
        try
        {
            candidates = System.IO.Directory.GetDirectories(root);
        }
        catch (IOException)
        {
            return;
        }

        foreach (var dir in candidates)
        {
            try
            {
                if (!IsStale(dir))
                {
                    continue;
                }

                await StopImmediatelyAsync(Path.Combine(dir, "data"), binDir, asPostgresUser, timeout).ConfigureAwait(false);
                TryDeleteDirectory(dir);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or FormatException)
            {
                // Best effort: another process may be cleaning the same folder.
            }
        }
    }

    private static bool IsStale(string dir)
    {
        var ownerFile = Path.Combine(dir, OwnerFileName);
        if (!File.Exists(ownerFile))
        {
            // A folder being created right now has no owner file for a moment: only old ones are stale.
            var age = TimeProvider.System.GetUtcNow() - new DateTimeOffset(System.IO.Directory.GetLastWriteTimeUtc(dir), TimeSpan.Zero);
            return age > TimeSpan.FromMinutes(10);
        }

        var lines = File.ReadAllLines(ownerFile);
        var pid = int.Parse(lines[0], CultureInfo.InvariantCulture);
        var startTicks = lines.Length > 1 ? long.Parse(lines[1], CultureInfo.InvariantCulture) : 0;
        try
        {
            using var process = Process.GetProcessById(pid);
            // The pid may have been reused by an unrelated process.
            return startTicks != 0 && Math.Abs(process.StartTime.ToUniversalTime().Ticks - startTicks) > TimeSpan.TicksPerSecond;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    private static void TryDeleteDirectory(string dir)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                if (System.IO.Directory.Exists(dir))
                {
                    System.IO.Directory.Delete(dir, recursive: true);
                }

                return;
            }
            catch (IOException)
            {
                Thread.Sleep(50);
            }
            catch (UnauthorizedAccessException)
            {
                return;
            }
        }
    }
}
