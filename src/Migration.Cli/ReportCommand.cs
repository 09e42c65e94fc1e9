using Migration.Core.Reporting;
using Migration.Postgres.Reporting;

namespace Migration.Cli;

/// <summary>
/// <c>migrationctl report</c>: Core's <see cref="ReportBuilder"/> over the PostgreSQL report queries, the same
/// implementation the report endpoint uses; text through <see cref="ReportTextWriter.Render"/>, JSON with the
/// endpoint's serializer settings. Everything comes from the database (the canary store gives the canary section and
/// the recorded health events behind the providers section), so the JSON equals the endpoint's, generatedAt aside.
/// </summary>
internal static class ReportCommand
{
    public static async Task<int> RunAsync(CliContext ctx, string? since, string? model, bool json, CancellationToken cancellationToken)
    {
        var filter = new ReportFilter(ParseSince(since, ctx.Time.GetUtcNow()), string.IsNullOrWhiteSpace(model) ? null : model.Trim());
        var readiness = ctx.Config.Readiness;
        await using var dataSource = ctx.OpenDataSource();
        await using var store = ctx.OpenStore();
        var builder = new ReportBuilder(new PostgresReportQueries(dataSource), readiness, ctx.Time, store, ctx.Migration, ctx.Policy.Steps);
        var report = await builder.BuildAsync(filter, cancellationToken).ConfigureAwait(false);
        await ctx.Out.WriteAsync(json ? CliJson.Serialize(report) + Environment.NewLine : ReportTextWriter.Render(report)).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary><c>--since</c>: a duration back from now (<c>90s</c>, <c>30m</c>, <c>1h</c>, <c>2d</c>, <c>1w</c>) or an ISO-8601 time.</summary>
    internal static DateTimeOffset? ParseSince(string? since, DateTimeOffset now) =>
        SinceParser.TryParse(since, now, out var from)
            ? from
            : throw new CliUsageException($"--since '{since}' is neither a duration (90s, 30m, 1h, 2d, 1w) nor an ISO-8601 time");
}
