using Migration.Core.Canary;
using Migration.Core.Storage;

namespace Migration.Cli;

/// <summary><c>migrationctl status</c>: the canary row, the leader, the last decision, shadow settings, data freshness.</summary>
internal static class StatusCommand
{
    public static async Task<int> RunAsync(CliContext ctx, bool json, CancellationToken cancellationToken)
    {
        await using var store = ctx.OpenStore();
        var state = await store.GetAsync(ctx.Migration, cancellationToken).ConfigureAwait(false);
        var freshness = await store.GetFreshnessAsync(cancellationToken).ConfigureAwait(false);
        var now = ctx.Time.GetUtcNow();
        var steps = ctx.Config.Canary.EffectiveSteps;
        var s = state.State;

        if (json)
        {
            await ctx.Out.WriteLineAsync(CliJson.Serialize(new StatusView(
                state.Migration,
                s.Phase.ToName(),
                s.Weight,
                s.StepIndex,
                steps,
                s.Version,
                s.Reason,
                s.StepStartedAt,
                s.UpdatedAt,
                new LeaderView(state.LeaderInstance, state.LeaderHeartbeatAt, AgeSeconds(state.LeaderHeartbeatAt, now)),
                state.LastDecision,
                new ShadowView(state.ShadowEnabled, state.ShadowSampleRate),
                new FreshnessView(freshness.NewestBucket, AgeSeconds(freshness.NewestBucket, now), freshness.NewestShadowResult, AgeSeconds(freshness.NewestShadowResult, now))))).ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        var rows = new List<string[]>
        {
            new[] { "state", s.Phase.ToName() },
            new[] { "weight", CliFormat.Weight(s.Weight) },
            new[] { "step", CliFormat.Step(s, steps) + " (steps " + string.Join(", ", steps.Select(CliFormat.Number)) + ")" },
            new[] { "step held", s.StepStartedAt is null ? "-" : "since " + CliFormat.Time(s.StepStartedAt) + " (" + CliFormat.Age(s.StepStartedAt, now) + ")" },
            new[] { "reason", CliFormat.OneLine(s.Reason) },
            new[] { "version", s.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) + ", updated " + CliFormat.Age(s.UpdatedAt, now) },
            new[] { "leader", state.LeaderInstance is null ? "none yet" : state.LeaderInstance + " (heartbeat " + CliFormat.Age(state.LeaderHeartbeatAt, now) + ")" },
        };
        if (state.LastDecision is { } d)
        {
            rows.Add(["last decision", $"{d.Kind} by {d.Actor} {CliFormat.Age(d.Time, now)}: {CliFormat.OneLine(d.Reason)}"]);
            if (d.Metrics is { } m)
            {
                rows.Add([string.Empty, CliFormat.Metrics(m)]);
            }
        }
        else
        {
            rows.Add(["last decision", "none"]);
        }

        rows.Add(["shadow", DescribeShadow(state)]);
        rows.Add(["data freshness", "traffic buckets: newest " + CliFormat.Age(freshness.NewestBucket, now) + "; shadow results: newest " + CliFormat.Age(freshness.NewestShadowResult, now)]);
        await ctx.Out.WriteAsync(CliFormat.Table(rows)).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private static string DescribeShadow(CanaryStoreState state)
    {
        var on = state.ShadowEnabled switch { true => "on", false => "off", null => "as configured" };
        var rate = state.ShadowSampleRate is { } r ? "sample rate " + CliFormat.Number(r) : "sample rate as configured";
        return on + ", " + rate;
    }

    private static double? AgeSeconds(DateTimeOffset? time, DateTimeOffset now) => time is { } t ? Math.Round((now - t).TotalSeconds, 3) : null;

    private sealed record StatusView(
        string Migration,
        string State,
        double Weight,
        int StepIndex,
        IReadOnlyList<double> Steps,
        long Version,
        string Reason,
        DateTimeOffset? StepStartedAt,
        DateTimeOffset? UpdatedAt,
        LeaderView Leader,
        CanaryDecisionRecord? LastDecision,
        ShadowView Shadow,
        FreshnessView Freshness);

    private sealed record LeaderView(string? Instance, DateTimeOffset? HeartbeatAt, double? HeartbeatAgeSeconds);

    private sealed record ShadowView(bool? Enabled, double? SampleRate);

    private sealed record FreshnessView(DateTimeOffset? NewestBucket, double? NewestBucketAgeSeconds, DateTimeOffset? NewestShadowResult, double? NewestShadowResultAgeSeconds);
}
