using Migration.Migrations;
using Migration.Postgres.Retention;

namespace Migration.Cli;

/// <summary><c>migrationctl db migrate | retention</c>.</summary>
internal static class DbCommands
{
    public static async Task<int> MigrateAsync(CliContext ctx, CancellationToken cancellationToken)
    {
        await MigrationDatabase.EnsureDatabaseAsync(ctx.ConnectionString, cancellationToken).ConfigureAwait(false);
        var pending = await MigrationDatabase.GetPendingMigrationsAsync(ctx.ConnectionString, cancellationToken).ConfigureAwait(false);
        await MigrationDatabase.MigrateAsync(ctx.ConnectionString, cancellationToken).ConfigureAwait(false);
        await ctx.Out.WriteLineAsync(pending.Count == 0
            ? "database is up to date (no pending migrations)"
            : $"applied {pending.Count} migration(s): {string.Join(", ", pending)}").ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    public static async Task<int> RetentionAsync(CliContext ctx, TimeSpan olderThan, CancellationToken cancellationToken)
    {
        var cutoff = ctx.Time.GetUtcNow() - olderThan;
        await using var dataSource = ctx.OpenDataSource();
        var result = await new PostgresRetention(dataSource).DeleteOlderThanAsync(cutoff, cancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            await ctx.Error.WriteLineAsync("retention is already running elsewhere (an instance holds the retention lock); nothing deleted, try again later").ConfigureAwait(false);
            return ExitCodes.Failed;
        }

        await ctx.Out.WriteLineAsync(
            $"deleted {result.ShadowResultsDeleted} shadow result(s), {result.TrafficBucketsDeleted} traffic bucket(s) and " +
            $"{result.CandidateAttemptsDeleted} candidate attempt(s) older than {CliFormat.Time(cutoff)} in {result.Batches} batch(es) (canary events are kept)").ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}
