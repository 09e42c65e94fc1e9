using Migration.SampleApi;
using Migration.SampleApi.Demo;

if (args.Any(a => string.Equals(a, "--demo", StringComparison.OrdinalIgnoreCase)))
{
    return await DemoCommand.RunAsync(args);
}

// `--mode outgoing` runs the support app (the harness on its provider HttpClient) instead of the gateway.
var mode = Array.FindIndex(args, a => string.Equals(a, "--mode", StringComparison.OrdinalIgnoreCase));
if (mode >= 0 && (mode + 1 >= args.Length || !SampleApps.TryParseMode(args[mode + 1], out _)))
{
    await Console.Error.WriteLineAsync("error: --mode: middleware or outgoing is required");
    return 2;
}

var chosen = mode >= 0 && SampleApps.TryParseMode(args[mode + 1], out var parsed) ? parsed : SampleMode.Middleware;
var app = SampleApps.Build(chosen, mode >= 0 ? [.. args.Where((_, i) => i != mode && i != mode + 1)] : args);
await app.RunAsync();
return 0;

/// <summary>Entry point (public for WebApplicationFactory).</summary>
public partial class Program;
