namespace Migration.Postgres.Local;

/// <summary>How <see cref="LocalPostgres"/> finds the binaries and where it puts the cluster.</summary>
public sealed class LocalPostgresOptions
{
    /// <summary>Folder holding initdb and pg_ctl; null = search (MIGRATION_PG_BIN, PATH, pg_config, /usr/lib/postgresql/*/bin).</summary>
    public string? BinariesDirectory { get; set; }

    /// <summary>Folder under which throwaway clusters are created; null = <c>$TMP/migration-pg</c>.</summary>
    public string? RootDirectory { get; set; }

    /// <summary>TCP port on 127.0.0.1; null = a free port.</summary>
    public int? Port { get; set; }

    /// <summary>max_connections of the server.</summary>
    public int MaxConnections { get; set; } = 200;

    /// <summary>How long initdb, start and stop may take each.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Whether to stop and delete clusters left behind by processes that died.</summary>
    public bool CleanupStaleClusters { get; set; } = true;
}
