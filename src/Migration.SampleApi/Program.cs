using Migration.SampleApi;
using Migration.SampleApi.Demo;

if (args.Any(a => string.Equals(a, "--demo", StringComparison.OrdinalIgnoreCase)))
{
    return await DemoCommand.RunAsync(args);
}

var app = SampleApiApp.Build(args);
await app.RunAsync();
return 0;

/// <summary>Entry point (public for WebApplicationFactory).</summary>
public partial class Program;
