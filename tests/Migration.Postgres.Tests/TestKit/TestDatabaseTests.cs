using Migration.TestKit;

namespace Migration.Postgres.Tests.TestKit;

public sealed class TestDatabaseTests
{
    [Fact]
    public async Task CreateAsync_Twice_GivesSeparateMigratedDatabasesOnOneServer()
    {
        await using var first = await TestDatabase.CreateAsync("tdb_a");
        await using var second = await TestDatabase.CreateAsync("tdb_b");

        Assert.NotEqual(first.Name, second.Name);
        Assert.StartsWith("tdb_a_", first.Name, StringComparison.Ordinal);
        Assert.Same(first.Server, second.Server);
        Assert.Equal(0L, await first.ScalarAsync<long>("SELECT count(*) FROM shadow_results"));
        Assert.Equal(0L, await second.ScalarAsync<long>("SELECT count(*) FROM traffic_buckets"));
    }

    [Fact]
    public async Task DisposeAsync_DropsTheDatabase()
    {
        var db = await TestDatabase.CreateAsync("tdb_drop");
        await using (var connection = await db.OpenConnectionAsync())
        {
            // An open pooled connection must not prevent the drop.
        }

        await db.DisposeAsync();

        Assert.False(await db.Server.DatabaseExistsAsync(db.Name));
    }

    [Fact]
    public void UniqueName_LongOrOddPrefix_IsAValidIdentifier()
    {
        var name = TestDatabase.UniqueName("Some Very-Long Prefix That Goes On And On And On And On");

        Assert.True(name.Length <= 63);
        Assert.Matches("^[a-z0-9_]+$", name);
        Assert.NotEqual(name, TestDatabase.UniqueName("Some Very-Long Prefix That Goes On And On And On And On"));
    }
}
