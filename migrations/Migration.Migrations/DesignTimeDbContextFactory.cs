using Microsoft.EntityFrameworkCore.Design;
using Migration.Postgres;
using Migration.Postgres.Local;

namespace Migration.Migrations;

/// <summary>Used by <c>dotnet ef</c>: generating migrations and scripts needs no server.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<MigrationDbContext>
{
    private const string Placeholder = "Host=127.0.0.1;Port=5432;Username=postgres;Database=migration";

    public MigrationDbContext CreateDbContext(string[] args) =>
        new(MigrationDbContext.CreateOptions(PostgresEnvironment.FromEnvironment() ?? Placeholder));
}
