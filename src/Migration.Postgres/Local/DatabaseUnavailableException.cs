using System.Net.Sockets;
using Npgsql;

namespace Migration.Postgres.Local;

/// <summary>
/// PostgreSQL could not be reached (refused, unknown host, timeout, authentication). The message names the
/// host and port and says how to provide a server; it never contains a password.
/// </summary>
public sealed class DatabaseUnavailableException : Exception
{
    public DatabaseUnavailableException()
        : this("PostgreSQL is not reachable.")
    {
    }

    public DatabaseUnavailableException(string message)
        : base(message)
    {
    }

    public DatabaseUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public DatabaseUnavailableException(string host, int port, string reason, Exception? innerException)
        : base(FormatMessage(host, port, reason), innerException)
    {
        Host = host;
        Port = port;
        Reason = reason;
    }

    /// <summary>Host that was tried.</summary>
    public string? Host { get; }

    /// <summary>Port that was tried.</summary>
    public int? Port { get; }

    /// <summary>Short reason, e.g. "connection refused".</summary>
    public string? Reason { get; }

    /// <summary>
    /// The exception to throw for <paramref name="exception"/> raised while connecting with
    /// <paramref name="connectionString"/>, or null when it is not a reachability problem (e.g. a SQL error).
    /// </summary>
    public static DatabaseUnavailableException? TryCreate(string connectionString, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var reason = ReasonOf(exception);
        if (reason is null)
        {
            return null;
        }

        string host = "?";
        int port = 5432;
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            host = builder.Host ?? "localhost";
            port = builder.Port;
        }
        catch (ArgumentException)
        {
            // Malformed connection string: keep the placeholders.
        }

        return new DatabaseUnavailableException(host, port, reason, exception);
    }

    private static string? ReasonOf(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SocketException socket:
                    return socket.SocketErrorCode switch
                    {
                        SocketError.ConnectionRefused => "connection refused",
                        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "host not found",
                        SocketError.TimedOut => "timed out",
                        SocketError.NetworkUnreachable or SocketError.HostUnreachable => "unreachable",
                        _ => socket.SocketErrorCode.ToString(),
                    };
                case PostgresException pg when pg.SqlState is "28P01" or "28000":
                    return "authentication failed";
                case PostgresException pg when pg.SqlState is "57P03":
                    return "the server is starting up or shutting down";
                case PostgresException pg when pg.SqlState is "53300":
                    return "too many connections";
                case TimeoutException:
                    return "timed out";
                case IOException when e.InnerException is null:
                    return "connection closed";
                case NpgsqlException npgsql when npgsql.InnerException is null && npgsql is not PostgresException:
                    return "connection failed";
            }
        }

        return null;
    }

    private static string FormatMessage(string host, int port, string reason) =>
        $"PostgreSQL at {host}:{port} is not reachable ({reason}). Set {PostgresEnvironment.VariableName} to a " +
        "reachable server (e.g. `docker compose up -d postgres` and " +
        $"{PostgresEnvironment.VariableName}=\"{PostgresEnvironment.DockerComposeExample}\"), " +
        $"or unset it to start a throwaway local PostgreSQL from the installed binaries.";
}
