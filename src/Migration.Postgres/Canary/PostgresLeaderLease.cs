using Microsoft.Extensions.Logging;
using Migration.Core.Storage;
using Npgsql;

namespace Migration.Postgres.Canary;

/// <summary>
/// <see cref="ILeaderLease"/> as a session-level <c>pg_try_advisory_lock</c> held on a dedicated, unpooled
/// connection: the lock lives exactly as long as the session, so a crashed leader or a broken connection frees it
/// at once. The heartbeat runs on that same connection, so a successful heartbeat proves the lock is still held.
/// </summary>
internal sealed partial class PostgresLeaderLease : ILeaderLease
{
    private readonly string _connectionString;
    private readonly string _migration;
    private readonly string _instance;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private NpgsqlConnection? _connection;
    private volatile bool _held;
    private bool _disposed;

    public PostgresLeaderLease(string connectionString, string migration, string instance, TimeProvider time, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(migration);
        ArgumentException.ThrowIfNullOrWhiteSpace(instance);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _connectionString = CanarySql.Dedicated(connectionString, "migration-leader-lease");
        _migration = migration;
        _instance = instance;
        _time = time;
        _logger = logger;
    }

    public bool IsHeld => _held && _connection is { State: System.Data.ConnectionState.Open };

    public async Task<bool> TryAcquireAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (IsHeld)
            {
                return true;
            }

            try
            {
                var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
                await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@c, hashtext(@m))", connection);
                command.Parameters.AddWithValue("c", CanarySql.LockClass);
                command.Parameters.AddWithValue("m", _migration);
                _held = (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                if (_held)
                {
                    Log.Acquired(_logger, _migration, _instance);
                }

                return _held;
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException)
            {
                Log.AcquireFailed(_logger, _migration, ex);
                await DropConnectionAsync().ConfigureAwait(false);
                return false;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<bool> HeartbeatAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_disposed || !_held || _connection is null)
            {
                return false;
            }

            try
            {
                await using var batch = new NpgsqlBatch(_connection);
                var now = _time.GetUtcNow().ToUniversalTime();
                var ensure = new NpgsqlBatchCommand(CanarySql.EnsureRow);
                ensure.Parameters.AddWithValue("m", _migration);
                ensure.Parameters.AddWithValue("now", now);
                var beat = new NpgsqlBatchCommand("UPDATE canary_state SET leader_instance = @i, leader_heartbeat_at = @now WHERE migration = @m");
                beat.Parameters.AddWithValue("m", _migration);
                beat.Parameters.AddWithValue("i", _instance);
                beat.Parameters.AddWithValue("now", now);
                batch.BatchCommands.Add(ensure);
                batch.BatchCommands.Add(beat);
                await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                // The session is gone or unusable: the server has released (or will release) the lock with it.
                Log.Lost(_logger, _migration, _instance, ex);
                await DropConnectionAsync().ConfigureAwait(false);
                return false;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ReleaseCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

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
            await ReleaseCoreAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }

        _gate.Dispose();
    }

    private async Task ReleaseCoreAsync(CancellationToken cancellationToken)
    {
        if (_held && _connection is { State: System.Data.ConnectionState.Open } connection)
        {
            try
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@c, hashtext(@m))", connection);
                command.Parameters.AddWithValue("c", CanarySql.LockClass);
                command.Parameters.AddWithValue("m", _migration);
                await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                Log.Released(_logger, _migration, _instance);
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException)
            {
                // Closing the session below releases the lock anyway.
                Log.Lost(_logger, _migration, _instance, ex);
            }
        }

        await DropConnectionAsync().ConfigureAwait(false);
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_connection is { State: System.Data.ConnectionState.Open } open)
        {
            return open;
        }

        await DropConnectionAsync().ConfigureAwait(false);
        var connection = new NpgsqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        _connection = connection;
        return connection;
    }

    private async Task DropConnectionAsync()
    {
        _held = false;
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2501, EventName = "LeaderLeaseAcquired", Level = LogLevel.Information, Message = "Canary leadership of '{Migration}' acquired by {Instance}.")]
        public static partial void Acquired(ILogger logger, string migration, string instance);

        [LoggerMessage(EventId = 2502, EventName = "LeaderLeaseReleased", Level = LogLevel.Information, Message = "Canary leadership of '{Migration}' released by {Instance}.")]
        public static partial void Released(ILogger logger, string migration, string instance);

        [LoggerMessage(EventId = 2503, EventName = "LeaderLeaseLost", Level = LogLevel.Warning, Message = "Canary leadership of '{Migration}' lost by {Instance}: the database session ended.")]
        public static partial void Lost(ILogger logger, string migration, string instance, Exception exception);

        [LoggerMessage(EventId = 2504, EventName = "LeaderLeaseAcquireFailed", Level = LogLevel.Debug, Message = "Could not try the canary leadership of '{Migration}': database unavailable.")]
        public static partial void AcquireFailed(ILogger logger, string migration, Exception exception);
    }
}
