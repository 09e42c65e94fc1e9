using Migration.Core.Storage;

namespace Migration.Cli;

/// <summary><c>migrationctl history</c>: the audit trail (canary_events), newest first.</summary>
internal static class HistoryCommand
{
    public static async Task<int> RunAsync(CliContext ctx, int limit, bool json, CancellationToken cancellationToken)
    {
        await using var store = ctx.OpenStore();
        var events = await store.GetEventsAsync(ctx.Migration, limit, cancellationToken).ConfigureAwait(false);
        if (json)
        {
            await ctx.Out.WriteLineAsync(CliJson.Serialize(events)).ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        if (events.Count == 0)
        {
            await ctx.Out.WriteLineAsync("no events yet").ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        var rows = new List<string[]> { new[] { "time", "actor", "from", "to", "reason" } };
        foreach (var e in events)
        {
            rows.Add([CliFormat.Time(e.Time), e.Actor, Side(e.FromState, e.FromWeight), Side(e.ToState, e.ToWeight), Reason(e)]);
        }

        await ctx.Out.WriteAsync(CliFormat.Table(rows)).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private static string Side(string state, double weight) => state + " " + CliFormat.Weight(weight);

    private static string Reason(CanaryEventRecord e) =>
        e.Metrics is { } m ? CliFormat.OneLine(e.Reason) + " [" + CliFormat.Metrics(m) + "]" : CliFormat.OneLine(e.Reason);
}
