using Migration.TestKit;

namespace Migration.Cli.Tests;

public sealed class MigrationCtlTests
{
    private const string Unreachable = "Host=127.0.0.1;Port=1;Username=postgres;Database=migration";

    [Theory]
    [InlineData(new[] { "canary", "set-weight", "150" }, "weight must be a number within 0..100 (was '150')", "usage: migrationctl canary set-weight <weight>")]
    [InlineData(new[] { "canary", "set-weight", "-1" }, "weight must be a number within 0..100", "usage: migrationctl canary set-weight <weight>")]
    [InlineData(new[] { "canary", "set-weight", "abc" }, "abc", "usage: migrationctl canary set-weight <weight>")]
    [InlineData(new[] { "frobnicate" }, "unknown command or argument 'frobnicate'", "usage: migrationctl <status|report|shadow|canary|history|db>")]
    [InlineData(new[] { "canary", "explode" }, "unknown command or argument 'explode'", "usage: migrationctl canary <start|pause|resume|promote|rollback|set-weight|retry|reset>")]
    [InlineData(new[] { "canary", "rollback" }, "Option '--reason' is required", "usage: migrationctl canary rollback --reason <text>")]
    [InlineData(new[] { "canary", "rollback", "--reason", " " }, "--reason must not be empty", "usage: migrationctl canary rollback --reason <text>")]
    [InlineData(new[] { "shadow", "sample-rate", "1.5" }, "sample rate must be a number within 0..1", "usage: migrationctl shadow sample-rate <rate>")]
    [InlineData(new[] { "history", "--limit", "0" }, "--limit must be within 1..10000", "usage: migrationctl history")]
    [InlineData(new[] { "db", "retention", "--older-than", "soon" }, "--older-than 'soon' is not a duration", "usage: migrationctl db retention")]
    [InlineData(new[] { "db", "retention", "--older-than", "0d" }, "--older-than '0d' is under 1h", "usage: migrationctl db retention")]
    [InlineData(new[] { "status", "--migration", " " }, "--migration must not be empty", "usage: migrationctl status")]
    [InlineData(new[] { "status", "--config", "/nonexistent/appsettings.json" }, "--config '/nonexistent/appsettings.json': no such file", "usage: migrationctl status")]
    [InlineData(new string[0], "Required command was not provided", "usage: migrationctl <status|report|shadow|canary|history|db>")]
    public async Task RunAsync_BadUsage_ExitsTwoWithReasonAndUsageLine(string[] args, string reason, string usage)
    {
        var result = await new CliRun(Unreachable).RunAsync(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
        Assert.Contains(usage, result.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Out);
        AssertNoStackTrace(result);
    }

    [Fact]
    public async Task RunAsync_NoDatabaseGiven_ExitsTwoNamingDbAndEnvironment()
    {
        var result = await new CliRun().RunAsync("status");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no database: pass --db", result.Error, StringComparison.Ordinal);
        Assert.Contains("MIGRATION_DB", result.Error, StringComparison.Ordinal);
        Assert.Contains("usage: migrationctl status", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_DatabaseFromEnvironment_Used()
    {
        var host = new CliHost { GetEnvironmentVariable = name => name == "MIGRATION_DB" ? Unreachable : null, UserName = "tester" };

        var result = await CliRun.RunRawAsync(host, "status");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("127.0.0.1:1", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_InvalidConnectionString_ExitsTwo()
    {
        var result = await new CliRun("Bogus Key=1").RunAsync("status");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("invalid connection string", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("report")]
    [InlineData("history")]
    [InlineData("canary", "rollback", "--reason", "provider down")]
    [InlineData("shadow", "disable")]
    [InlineData("db", "migrate")]
    public async Task RunAsync_DatabaseUnreachable_ExitsOneWithOneLineReason(params string[] args)
    {
        var result = await new CliRun(Unreachable).RunAsync(args);

        Assert.True(result.ExitCode == 1, result.ToString());
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("PostgreSQL at 127.0.0.1:1 is not reachable", line, StringComparison.Ordinal);
        AssertNoStackTrace(result);
    }

    [Fact]
    public async Task RunAsync_DatabaseNotMigrated_ExitsOneSayingRunDbMigrate()
    {
        var (_, name, connectionString) = await TestDatabase.CreateEmptyAsync("cli_unmigrated");
        try
        {
            var result = await new CliRun(connectionString).RunAsync("status");

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("has no migration tables; run `migrationctl db migrate`", result.Error, StringComparison.Ordinal);
            AssertNoStackTrace(result);
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await TestDatabase.DropAsync(name);
        }
    }

    [Fact]
    public async Task RunAsync_Help_ExitsZeroListingCommands()
    {
        var result = await new CliRun().RunAsync("--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var command in new[] { "status", "report", "shadow", "canary", "history", "db", "--db", "--config" })
        {
            Assert.Contains(command, result.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ResolveConnectionString_NoTimeout_AddsFiveSeconds()
    {
        var resolved = CliContext.ResolveConnectionString("Host=db;Username=u", new CliHost());
        var kept = CliContext.ResolveConnectionString("Host=db;Username=u;Timeout=30", new CliHost());

        Assert.Contains("Timeout=5", resolved, StringComparison.Ordinal);
        Assert.Contains("Timeout=30", kept, StringComparison.Ordinal);
    }

    private static void AssertNoStackTrace(CliResult result)
    {
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception:", result.Error, StringComparison.Ordinal);
    }
}
