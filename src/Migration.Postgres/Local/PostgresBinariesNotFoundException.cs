namespace Migration.Postgres.Local;

/// <summary>No PostgreSQL binaries were found to start a throwaway server, and no server was configured.</summary>
public sealed class PostgresBinariesNotFoundException : Exception
{
    public PostgresBinariesNotFoundException()
        : base(DefaultMessage)
    {
    }

    public PostgresBinariesNotFoundException(string message)
        : base(message)
    {
    }

    public PostgresBinariesNotFoundException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    private static string DefaultMessage =>
        "No PostgreSQL server is configured and no PostgreSQL binaries (initdb, pg_ctl) were found " +
        $"(looked in {PostgresEnvironment.BinariesVariableName}, PATH, `pg_config --bindir`, /usr/lib/postgresql/*/bin). " +
        "Either install PostgreSQL (e.g. `apt-get install postgresql`), or run `docker compose up -d postgres` and set " +
        $"{PostgresEnvironment.VariableName}=\"{PostgresEnvironment.DockerComposeExample}\".";
}
