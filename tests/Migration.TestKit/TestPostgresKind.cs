namespace Migration.TestKit;

/// <summary>Where the tests' shared PostgreSQL server comes from when <c>MIGRATION_DB</c> is not set.</summary>
public enum TestPostgresKind
{
    /// <summary>A throwaway cluster from the local PostgreSQL binaries (the default).</summary>
    Local,

    /// <summary>A throwaway <c>postgres</c> container started with Testcontainers (needs a Docker engine).</summary>
    Testcontainers,
}
