using System.Globalization;
using Migration.Core.Canary;

namespace Migration.Cli;

/// <summary>
/// <c>migrationctl canary ...</c>: operator commands through Core's <see cref="CanaryPolicy"/>, stored with the
/// state row, an event (actor <c>cli:&lt;user&gt;</c>) and a NOTIFY in one transaction. Never waits on an API
/// instance: running instances pick the change up through NOTIFY, stopped ones read it when they start.
/// </summary>
internal static class CanaryCommands
{
    public static async Task<int> RunAsync(CliContext ctx, string name, CanaryCommand command, CancellationToken cancellationToken)
    {
        var policy = ctx.Policy;
        await using var store = ctx.OpenStore();
        var outcome = await store.ApplyAsync(ctx.Migration, s => policy.Apply(s, command, ctx.Time.GetUtcNow()), ctx.Actor, cancellationToken)
            .ConfigureAwait(false);
        if (outcome.Rejected)
        {
            throw new CliFailure(CliFormat.OneLine(outcome.Decision.Reason));
        }

        var s = outcome.State.State;
        var summary = string.Create(
            CultureInfo.InvariantCulture,
            $"canary {s.Phase.ToName()} at {CliFormat.Weight(s.Weight)} (step {CliFormat.Step(s, policy.Steps)}), version {s.Version}");
        await ctx.Out.WriteLineAsync(outcome.Changed
            ? $"{name}: {summary}: {CliFormat.OneLine(outcome.Decision.Reason)} (event #{outcome.EventId}, actor {ctx.Actor})"
            : $"{name}: no change, {summary}: {CliFormat.OneLine(outcome.Decision.Reason)}").ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}
