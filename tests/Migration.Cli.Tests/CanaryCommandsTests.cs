using Migration.Core.Canary;
using Migration.Core.Storage;
using Migration.Postgres.Canary;
using Migration.TestKit;

namespace Migration.Cli.Tests;

public sealed class CanaryCommandsTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private CliRun _cli = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("cli_canary");
        _cli = new CliRun(_db.ConnectionString);
    }

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();

    [Fact]
    public async Task Rollback_MigrationKeyFromOptionOrConfig_ActsOnThatMigrationOnly()
    {
        var config = Path.Combine(Path.GetTempPath(), $"cli-key-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(config, """{ "Migration": { "Canary": { "Migration": "checkout-bot" } } }""");
        try
        {
            Assert.Equal(0, (await _cli.RunAsync("canary", "start", "--config", config)).ExitCode);
            Assert.Equal(0, (await _cli.RunAsync("canary", "start", "--migration", "support-bot")).ExitCode);

            var result = await _cli.RunAsync("canary", "rollback", "--reason", "checkout incident", "--config", config);

            Assert.True(result.ExitCode == 0, result.ToString());
            await using var store = PostgresCanaryStore.Create(_db.ConnectionString, _cli.Time);
            Assert.Equal(CanaryPhase.RolledBack, (await store.GetAsync("checkout-bot", CancellationToken.None)).State.Phase);
            Assert.Equal(CanaryPhase.Ramping, (await store.GetAsync("support-bot", CancellationToken.None)).State.Phase);
            Assert.Equal(CanaryPhase.Idle, (await store.GetAsync(ICanaryStateStore.DefaultMigration, CancellationToken.None)).State.Phase);
            var status = await _cli.RunAsync("status", "--json", "--migration", "support-bot");
            Assert.Contains("\"support-bot\"", status.Out, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task Rollback_NoApiRunning_RolledBackAtWeightZeroWithCliEvent()
    {
        Assert.Equal(0, (await _cli.RunAsync("canary", "start")).ExitCode);
        _cli.Time.Advance(TimeSpan.FromSeconds(5));

        var result = await _cli.RunAsync("canary", "rollback", "--reason", "latency spike on HolySheep");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("canary rolled_back at 0 %", result.Out, StringComparison.Ordinal);
        var state = await GetAsync();
        Assert.Equal(CanaryPhase.RolledBack, state.State.Phase);
        Assert.Equal(0, state.State.Weight);
        Assert.Equal("cli:tester", state.LastDecision!.Actor);
        await using var store = PostgresCanaryStore.Create(_db.ConnectionString, _cli.Time);
        var last = (await store.GetEventsAsync(ICanaryStateStore.DefaultMigration, 1, CancellationToken.None))[0];
        Assert.Equal(("ramping", "rolled_back", 5d, 0d, "cli:tester"), (last.FromState, last.ToState, last.FromWeight, last.ToWeight, last.Actor));
        Assert.Contains("latency spike on HolySheep", last.Reason, StringComparison.Ordinal);
        Assert.Equal(CliRun.T0.AddSeconds(5), last.Time);
    }

    [Fact]
    public async Task Promote_AfterRollback_ExitsOneWithPolicyReason()
    {
        await _cli.RunAsync("canary", "start");
        await _cli.RunAsync("canary", "rollback", "--reason", "errors");

        var result = await _cli.RunAsync("canary", "promote");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("migrationctl: cannot promote: canary is rolled back; use retry", result.Error.Trim());
        Assert.Equal(CanaryPhase.RolledBack, (await GetAsync()).State.Phase);
    }

    [Fact]
    public async Task Commands_FullRamp_EachStoredWithWeights()
    {
        Assert.Equal(0, (await _cli.RunAsync("canary", "start", "--reason", "READY since Monday")).ExitCode);
        Assert.Equal(5, (await GetAsync()).State.Weight);
        Assert.Equal(0, (await _cli.RunAsync("canary", "promote")).ExitCode);
        Assert.Equal(10, (await GetAsync()).State.Weight);
        Assert.Equal(0, (await _cli.RunAsync("canary", "pause")).ExitCode);
        Assert.Equal(CanaryPhase.Paused, (await GetAsync()).State.Phase);
        var again = await _cli.RunAsync("canary", "pause");
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("pause: no change", again.Out, StringComparison.Ordinal);
        Assert.Equal(0, (await _cli.RunAsync("canary", "resume")).ExitCode);
        Assert.Equal(CanaryPhase.Ramping, (await GetAsync()).State.Phase);
        Assert.Equal(0, (await _cli.RunAsync("canary", "set-weight", "30")).ExitCode);
        Assert.Equal(30, (await GetAsync()).State.Weight);
        Assert.Equal(0, (await _cli.RunAsync("canary", "promote", "--full")).ExitCode);
        var promoted = await GetAsync();
        Assert.Equal((CanaryPhase.Promoted, 100d), (promoted.State.Phase, promoted.State.Weight));
        Assert.Equal(0, (await _cli.RunAsync("canary", "rollback", "--reason", "undo")).ExitCode);
        Assert.Equal(0, (await _cli.RunAsync("canary", "retry")).ExitCode);
        Assert.Equal((CanaryPhase.Ramping, 5d), ((await GetAsync()).State.Phase, (await GetAsync()).State.Weight));
        Assert.Equal(0, (await _cli.RunAsync("canary", "reset")).ExitCode);
        Assert.Equal(CanaryPhase.Idle, (await GetAsync()).State.Phase);
        Assert.Equal(9L, await _db.ScalarAsync<long>("SELECT count(*) FROM canary_events WHERE actor = 'cli:tester'"));
    }

    [Fact]
    public async Task Start_ConfigWithOwnSteps_UsesThem()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cli-config-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, """{ "Migration": { "Canary": { "Steps": [ 2, 20, 100 ] } } }""");
        try
        {
            var start = await _cli.RunAsync("canary", "start", "--config", path);
            var promote = await _cli.RunAsync("canary", "promote", "--config", path);

            Assert.True(start.ExitCode == 0, start.ToString());
            Assert.Contains("at 2 % (step 1 of 3)", start.Out, StringComparison.Ordinal);
            Assert.Equal(0, promote.ExitCode);
            Assert.Equal(20, (await GetAsync()).State.Weight);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private async Task<CanaryStoreState> GetAsync()
    {
        await using var store = PostgresCanaryStore.Create(_db.ConnectionString, _cli.Time);
        return await store.GetAsync(ICanaryStateStore.DefaultMigration, CancellationToken.None);
    }
}
