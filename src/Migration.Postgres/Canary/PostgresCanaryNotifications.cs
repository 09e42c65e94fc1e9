using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Migration.Core.Storage;
using Npgsql;

namespace Migration.Postgres.Canary;

/// <summary>
/// <see cref="ICanaryChangeNotifications"/> through <c>LISTEN migration_canary</c> on a dedicated, unpooled
/// connection (a pooled one would be reset, dropping the LISTEN). An idle connection is probed every
/// <see cref="ProbeInterval"/>; a lost one is reopened with exponential backoff, and each (re)connection is
/// announced as <see cref="CanaryChangeKind.Connected"/> so the consumer re-reads what it may have missed.
/// </summary>
internal sealed partial class PostgresCanaryNotifications : ICanaryChangeNotifications
{
    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public PostgresCanaryNotifications(string connectionString, TimeProvider time, ILogger<PostgresCanaryNotifications>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(time);
        _connectionString = CanarySql.Dedicated(connectionString, "migration-canary-listener");
        _time = time;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>How long the connection may stay silent before it is probed.</summary>
    public TimeSpan ProbeInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>First reconnect delay; doubles per failure up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan MinReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Largest reconnect delay.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(5);

    public async IAsyncEnumerable<CanaryChange> ListenAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Notifications are rare (one per state change), so an unbounded queue between the socket and the consumer
        // costs nothing and never loses one.
        var channel = Channel.CreateUnbounded<CanaryChange>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pump = Task.Run(() => PumpAsync(channel.Writer, stop.Token), CancellationToken.None);
        try
        {
            while (await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (channel.Reader.TryRead(out var change))
                {
                    yield return change;
                }
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await pump.ConfigureAwait(false);
        }
    }

    private async Task PumpAsync(ChannelWriter<CanaryChange> writer, CancellationToken cancellationToken)
    {
        var delay = MinReconnectDelay;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_connectionString);
                connection.Notification += (_, e) =>
                {
                    if (e.Channel == CanarySql.Channel)
                    {
                        writer.TryWrite(new CanaryChange(CanaryChangeKind.Changed, e.Payload));
                    }
                };
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                await using (var listen = new NpgsqlCommand("LISTEN " + CanarySql.Channel, connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                if (failures > 0)
                {
                    Log.Reconnected(_logger, failures);
                }

                failures = 0;
                delay = MinReconnectDelay;
                writer.TryWrite(new CanaryChange(CanaryChangeKind.Connected, null));
                while (true)
                {
                    if (!await connection.WaitAsync(ProbeInterval, cancellationToken).ConfigureAwait(false))
                    {
                        await using var probe = new NpgsqlCommand("SELECT 1", connection);
                        await probe.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or SocketException or TimeoutException or InvalidOperationException or OperationCanceledException)
            {
                failures++;
                Log.ConnectionLost(_logger, delay.TotalMilliseconds, ex);
            }

            try
            {
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxReconnectDelay.Ticks));
        }

        writer.TryComplete();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2511, EventName = "CanaryListenerConnectionLost", Level = LogLevel.Warning, Message = "Canary change listener lost its database connection; reconnecting in {DelayMs} ms.")]
        public static partial void ConnectionLost(ILogger logger, double delayMs, Exception exception);

        [LoggerMessage(EventId = 2512, EventName = "CanaryListenerReconnected", Level = LogLevel.Information, Message = "Canary change listener reconnected after {Failures} failed attempt(s).")]
        public static partial void Reconnected(ILogger logger, int failures);
    }
}
