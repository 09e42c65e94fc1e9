namespace Migration.Postgres.Storage;

/// <summary>Registered by <c>AddMigrationPostgres</c>, so a host can check that PostgreSQL storage was added.</summary>
internal sealed class MigrationPostgresMarker;
