using Migration.Core.Storage;
using Migration.Postgres.Canary;
using Migration.TestKit;

namespace Migration.Cli.Tests;

public sealed class ShadowCommandsTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private CliRun _cli = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("cli_shadow");
        _cli = new CliRun(_db.ConnectionString);
    }

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();

    [Fact]
    public async Task SetAsync_EnableRateDisable_StoredWithCliEvents()
    {
        var enable = await _cli.RunAsync("shadow", "enable", "--reason", "week 1");
        var rate = await _cli.RunAsync("shadow", "sample-rate", "0.25");
        var after = await GetAsync();
        var disable = await _cli.RunAsync("shadow", "disable");

        Assert.Equal((0, 0, 0), (enable.ExitCode, rate.ExitCode, disable.ExitCode));
        Assert.Contains("shadow enabled, sample rate as configured", enable.Out, StringComparison.Ordinal);
        Assert.Contains("shadow enabled, sample rate 0.25", rate.Out, StringComparison.Ordinal);
        Assert.Equal((true, 0.25), (after.ShadowEnabled, after.ShadowSampleRate));
        var final = await GetAsync();
        Assert.Equal((false, 0.25), (final.ShadowEnabled, final.ShadowSampleRate));
        Assert.Equal(3L, await _db.ScalarAsync<long>("SELECT count(*) FROM canary_events WHERE actor = 'cli:tester'"));
        Assert.Equal(1L, await _db.ScalarAsync<long>("SELECT count(*) FROM canary_events WHERE reason = 'shadow enabled: week 1'"));
    }

    private async Task<CanaryStoreState> GetAsync()
    {
        await using var store = PostgresCanaryStore.Create(_db.ConnectionString, _cli.Time);
        return await store.GetAsync(ICanaryStateStore.DefaultMigration, CancellationToken.None);
    }
}
