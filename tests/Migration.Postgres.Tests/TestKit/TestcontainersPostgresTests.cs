using System.Net.Sockets;
using Migration.TestKit;
using Npgsql;

namespace Migration.Postgres.Tests.TestKit;

public sealed class TestcontainersPostgresTests
{
    // "Not a hang": every failure below must come well inside this (real time, generous).
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AcquireServerAsync_TestcontainersWithoutEngine_FailsSayingWhatToDo()
    {
        var socket = new Uri($"unix:///tmp/no-docker-{Guid.NewGuid():N}.sock");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            TestDatabase.AcquireServerAsync(null, TestPostgresKind.Testcontainers, socket).WaitAsync(Bound));

        Assert.StartsWith("MIGRATION_TEST_POSTGRES=testcontainers needs a running Docker engine, but the Docker engine at unix:///tmp/no-docker-", error.Message, StringComparison.Ordinal);
        Assert.Contains("is not reachable", error.Message, StringComparison.Ordinal);
        Assert.Contains("unset MIGRATION_TEST_POSTGRES to use the local PostgreSQL binaries", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_EngineThatNeverAnswers_FailsAfterTheProbeTimeout()
    {
        var path = Path.Combine(Path.GetTempPath(), $"silent-docker-{Guid.NewGuid():N}.sock");
        using var silent = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        silent.Bind(new UnixDomainSocketEndPoint(path));
        silent.Listen(8);
        try
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
                TestcontainersPostgres.StartAsync(new Uri($"unix://{path}"), probeTimeout: TimeSpan.FromSeconds(1)).WaitAsync(Bound));

            Assert.Contains($"the Docker engine at unix://{path} did not answer within 1 s", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task AcquireServerAsync_TestcontainersDefaultEngine_ServerWhenDockerElseClearError()
    {
        var mayHaveDocker = Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 }
            || File.Exists("/var/run/docker.sock")
            || File.Exists(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".testcontainers.properties"));
        var acquire = TestDatabase.AcquireServerAsync(null, TestPostgresKind.Testcontainers);

        if (!mayHaveDocker)
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => acquire.WaitAsync(Bound));
            Assert.Contains("no Docker engine was found", error.Message, StringComparison.Ordinal);
            return;
        }

        // A machine with Docker: the opt-in path gives a working server.
        var server = await acquire;
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        Assert.Equal(1, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task AcquireServerAsync_ConnectionStringWithTestcontainers_UsesTheGivenServer()
    {
        var shared = await TestDatabase.GetSharedServerAsync();

        await using var server = await TestDatabase.AcquireServerAsync(shared.ConnectionString, TestPostgresKind.Testcontainers);

        Assert.False(server.IsOwned);
        Assert.Equal(shared.Port, server.Port);
    }
}
