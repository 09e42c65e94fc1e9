using Migration.Simulator.Hosting;

namespace Migration.Simulator;

/// <summary>The standalone simulator: <c>dotnet run --project src/Migration.Simulator -- --urls ... --name ...</c>.</summary>
internal static class Program
{
    public static Task<int> Main(string[] args) => SimulatorCommandLine.RunAsync(args, Console.Out, Console.Error);
}
