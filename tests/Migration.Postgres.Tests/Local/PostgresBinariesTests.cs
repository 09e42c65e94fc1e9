using Migration.Postgres.Local;

namespace Migration.Postgres.Tests.Local;

public sealed class PostgresBinariesTests
{
    [Fact]
    public void Find_NoExplicitFolder_FindsInitdbAndPgCtl()
    {
        var dir = PostgresBinaries.Find(null);

        Assert.True(File.Exists(Path.Combine(dir, "initdb")));
        Assert.True(File.Exists(Path.Combine(dir, "pg_ctl")));
    }

    [Fact]
    public void FindIn_FoldersWithoutBinaries_ThrowsExplainingHowToProvideAServer()
    {
        var empty = Directory.CreateTempSubdirectory("no-pg-");
        try
        {
            var ex = Assert.Throws<PostgresBinariesNotFoundException>(() => PostgresBinaries.FindIn([empty.FullName, "/does/not/exist"]));

            Assert.Contains("MIGRATION_DB", ex.Message, StringComparison.Ordinal);
            Assert.Contains("docker compose up -d postgres", ex.Message, StringComparison.Ordinal);
            Assert.Contains("install PostgreSQL", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            empty.Delete();
        }
    }
}
