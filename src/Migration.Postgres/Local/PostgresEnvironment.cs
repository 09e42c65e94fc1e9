namespace Migration.Postgres.Local;

/// <summary>Where a PostgreSQL connection string comes from in the environment.</summary>
public static class PostgresEnvironment
{
    /// <summary>Environment variable holding a connection string to an existing server.</summary>
    public const string VariableName = "MIGRATION_DB";

    /// <summary>Environment variable naming the folder of the PostgreSQL binaries (initdb, pg_ctl).</summary>
    public const string BinariesVariableName = "MIGRATION_PG_BIN";

    /// <summary>The connection string of the docker-compose <c>postgres</c> service.</summary>
    public const string DockerComposeExample = "Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres;Database=migration";

    /// <summary>The value of <see cref="VariableName"/>, or null when unset or blank.</summary>
    public static string? FromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable(VariableName);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}
