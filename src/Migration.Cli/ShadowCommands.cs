using System.Globalization;

namespace Migration.Cli;

/// <summary><c>migrationctl shadow enable | disable | sample-rate &lt;0..1&gt;</c>: run-time shadow settings, picked up by every instance through NOTIFY.</summary>
internal static class ShadowCommands
{
    public static async Task<int> SetAsync(CliContext ctx, bool? enabled, double? sampleRate, string? reason, CancellationToken cancellationToken)
    {
        await using var store = ctx.OpenStore();
        var state = await store.SetShadowAsync(ctx.Migration, enabled, sampleRate, ctx.Actor, reason, cancellationToken).ConfigureAwait(false);
        var on = state.ShadowEnabled switch { true => "enabled", false => "disabled", null => "as configured" };
        var rate = state.ShadowSampleRate is { } r ? r.ToString("0.####", CultureInfo.InvariantCulture) : "as configured";
        await ctx.Out.WriteLineAsync($"shadow {on}, sample rate {rate} (recorded as {ctx.Actor}; running instances apply it at once)").ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}
