using System.Net.Sockets;
using Migration.Postgres.Local;
using Npgsql;

namespace Migration.Postgres.Tests.Local;

public sealed class DatabaseUnavailableExceptionTests
{
    private const string ConnectionString = "Host=db.internal;Port=6543;Username=app;Password=hunter2;Database=migration";

    [Theory]
    [InlineData(SocketError.ConnectionRefused, "connection refused")]
    [InlineData(SocketError.HostNotFound, "host not found")]
    [InlineData(SocketError.TimedOut, "timed out")]
    public void TryCreate_SocketFailure_NamesHostPortAndReasonWithoutPassword(SocketError error, string reason)
    {
        var cause = new NpgsqlException("Failed to connect", new SocketException((int)error));

        var ex = DatabaseUnavailableException.TryCreate(ConnectionString, cause);

        Assert.NotNull(ex);
        Assert.StartsWith($"PostgreSQL at db.internal:6543 is not reachable ({reason}).", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MIGRATION_DB", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", ex.Message, StringComparison.Ordinal);
        Assert.Same(cause, ex.InnerException);
    }

    [Fact]
    public void TryCreate_SqlError_ReturnsNull()
    {
        var cause = new PostgresException("syntax error", "ERROR", "ERROR", "42601");

        Assert.Null(DatabaseUnavailableException.TryCreate(ConnectionString, cause));
    }

    [Fact]
    public void TryCreate_AuthenticationFailed_IsUnavailable()
    {
        var cause = new PostgresException("password authentication failed", "FATAL", "FATAL", "28P01");

        var ex = DatabaseUnavailableException.TryCreate(ConnectionString, cause);

        Assert.Equal("authentication failed", ex?.Reason);
    }
}
