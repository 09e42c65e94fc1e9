using Migration.TestKit;

namespace Migration.Cli.Tests;

public sealed class DbCommandsTests
{
    [Fact]
    public async Task Migrate_NewDatabase_CreatesAndMigratesThenUpToDate()
    {
        var server = await TestDatabase.GetSharedServerAsync();
        var name = TestDatabase.UniqueName("cli_migrate");
        var cli = new CliRun(server.ConnectionStringFor(name));
        try
        {
            var first = await cli.RunAsync("db", "migrate");
            var second = await cli.RunAsync("db", "migrate");
            var status = await cli.RunAsync("status");

            Assert.True(first.ExitCode == 0, first.ToString());
            Assert.Contains("applied", first.Out, StringComparison.Ordinal);
            Assert.Contains("InitialCreate", first.Out, StringComparison.Ordinal);
            Assert.Equal(0, second.ExitCode);
            Assert.Contains("database is up to date", second.Out, StringComparison.Ordinal);
            Assert.Equal(0, status.ExitCode);
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await TestDatabase.DropAsync(name);
        }
    }

    [Fact]
    public async Task Retention_OlderThan_DeletesOldRowsKeepsEvents()
    {
        await using var db = await TestDatabase.CreateAsync("cli_retention");
        var cli = new CliRun(db.ConnectionString);
        await cli.RunAsync("canary", "start");
        await db.ScalarAsync<int>(
            "INSERT INTO traffic_buckets (second, instance, arm, model, requests, successes, errors_timeout, errors_rate_limited, errors_server, errors_client, " +
            "errors_connection, fallbacks, errors_other, shadow_sampled, shadow_dropped, latency_hist, ttft_hist) " +
            "SELECT timestamptz '2025-06-02 09:00:00+00' - make_interval(days => g), 'i', 'primary', 'm', 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, '\\x'::bytea, '\\x'::bytea " +
            "FROM generate_series(1, 20) g RETURNING 1");
        await db.ScalarAsync<int>(
            "INSERT INTO candidate_attempts (time, request_id, route, reason, requested_model, model, attempt, outcome, error_class, latency_ms) " +
            "SELECT timestamptz '2025-06-02 09:00:00+00' - make_interval(days => g), 'r' || g, '/v1/chat/completions', 'canary', 'm', 'm', 1, 'served', 'none', 1 " +
            "FROM generate_series(1, 16) g RETURNING 1");

        var defaulted = await cli.RunAsync("db", "retention");
        var shorter = await cli.RunAsync("db", "retention", "--older-than", "3d");

        Assert.True(defaulted.ExitCode == 0, defaulted.ToString());
        Assert.Contains("deleted 0 shadow result(s), 6 traffic bucket(s) and 2 candidate attempt(s) older than 2025-05-19 09:00:00Z", defaulted.Out, StringComparison.Ordinal);
        Assert.Contains(", 11 traffic bucket(s) and 11 candidate attempt(s) older than 2025-05-30 09:00:00Z", shorter.Out, StringComparison.Ordinal);
        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(*) FROM traffic_buckets"));
        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(*) FROM candidate_attempts"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM canary_events"));
    }
}
