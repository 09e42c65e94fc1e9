using Migration.IntegrationTests.Stack;
using Migration.Migrations;
using Migration.TestKit;

namespace Migration.IntegrationTests.Shadow;

/// <summary>PostgreSQL going away mid-run costs production nothing; the writer catches up when it is back.</summary>
public sealed class DatabaseOutageTests
{
    private const int PerPhase = 12;

    [Fact]
    public async Task Run_PostgresStoppedAndRestarted_ProductionUnaffectedWriterResumesAndCountsBalance()
    {
        await using var postgres = await TestDatabase.StartDedicatedServerAsync();
        var connectionString = await postgres.CreateDatabaseAsync("outage");
        await MigrationDatabase.MigrateAsync(connectionString);
        await using var stack = await MigrationStack.StartAsync(new MigrationStackOptions
        {
            ConnectionString = connectionString,
            Storage = storage =>
            {
                storage.RetryMinDelay = TimeSpan.FromMilliseconds(50);
                storage.RetryMaxDelay = TimeSpan.FromMilliseconds(250);
            },
        });

        // Before: rows are written.
        await ProductionTraffic.SendSequentialAsync(stack, PerPhase);
        await stack.WaitForShadowRowsAsync(PerPhase);

        // During: production answers in full; the writer fails and keeps its records.
        await postgres.StopServerAsync();
        await ProductionTraffic.SendSequentialAsync(stack, PerPhase);
        await Eventually.UntilAsync(
            "the writer to fail against the stopped server",
            async () => (await stack.GetStatusAsync()).GetProperty("sink").GetProperty("failures").GetInt64() > 0);
        using (var report = await stack.Admin.GetAsync("/migration/report"))
        {
            Assert.Equal(503, (int)report.StatusCode);
            Assert.Equal("application/problem+json", report.Content.Headers.ContentType?.MediaType);
        }

        // After: the writer resumes with what it kept, and new rows keep coming.
        await postgres.StartServerAsync();
        await ProductionTraffic.SendSequentialAsync(stack, PerPhase);
        await stack.WaitForShadowRowsAsync(3 * PerPhase);
        await stack.WaitForQuietAsync();

        var sink = (await stack.GetStatusAsync()).GetProperty("sink");
        var produced = sink.GetProperty("produced").GetInt64();
        var written = sink.GetProperty("written").GetInt64();
        var dropped = sink.GetProperty("dropped").GetInt64();
        Assert.Equal(0, sink.GetProperty("pending").GetInt64());
        Assert.Equal(produced, written + dropped);
        Assert.Equal(0, dropped); // the buffer (50 000) was never full
        Assert.Equal(3 * PerPhase, await stack.CountShadowRowsAsync());
        Assert.Equal(written, await stack.CountShadowRowsAsync() + await stack.ScalarAsync<long>("SELECT count(*) FROM traffic_buckets"));
    }
}
