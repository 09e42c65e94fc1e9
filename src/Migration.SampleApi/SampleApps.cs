using Migration.SampleApi.Support;

namespace Migration.SampleApi;

/// <summary>Builds the sample app of a <see cref="SampleMode"/> (for the host, the demo, tests and load runs).</summary>
public static class SampleApps
{
    /// <summary>The app of <paramref name="mode"/>; <paramref name="configure"/> adds configuration first.</summary>
    public static WebApplication Build(SampleMode mode, string[] args, Action<WebApplicationBuilder>? configure = null) =>
        mode == SampleMode.Outgoing ? SupportApiApp.Build(args, configure) : SampleApiApp.Build(args, configure);

    /// <summary>Reads a <c>--mode</c> value: <c>middleware</c> or <c>outgoing</c> (any case).</summary>
    public static bool TryParseMode(string? text, out SampleMode mode)
    {
        switch (text?.ToLowerInvariant())
        {
            case "middleware":
                mode = SampleMode.Middleware;
                return true;
            case "outgoing":
                mode = SampleMode.Outgoing;
                return true;
            default:
                mode = default;
                return false;
        }
    }
}
