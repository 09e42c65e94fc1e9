using System.Globalization;

namespace Migration.Load.Cli;

/// <summary>The parsed command line: <c>&lt;scenario|all&gt; --out &lt;dir&gt; [--quick] [--rate N] [--duration S] [--rounds N] [--no-build]</c>.</summary>
internal sealed record LoadArguments
{
    public const string Usage =
        "usage: dotnet run -c Release --project load/Migration.Load -- <scenario|all> --out <dir> [--quick] [--rate N] [--duration S] [--rounds N] [--no-build]";

    public required string Scenario { get; init; }

    public required string OutputDirectory { get; init; }

    public bool Quick { get; init; }

    public double? Rate { get; init; }

    public TimeSpan? Duration { get; init; }

    public int? Rounds { get; init; }

    public bool NoBuild { get; init; }

    /// <summary>Parses <paramref name="args"/>; on failure returns null and the problem in <paramref name="error"/>.</summary>
    public static LoadArguments? TryParse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        string? scenario = null;
        string? output = null;
        bool quick = false, noBuild = false;
        double? rate = null;
        TimeSpan? duration = null;
        int? rounds = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "--quick":
                    quick = true;
                    break;
                case "--no-build":
                    noBuild = true;
                    break;
                case "--out":
                    if (!TryValue(args, ref i, out output))
                    {
                        error = "--out needs a folder";
                        return null;
                    }

                    break;
                case "--rate":
                    if (!TryValue(args, ref i, out var r) || !double.TryParse(r, NumberStyles.Float, CultureInfo.InvariantCulture, out var rv) || !(rv > 0) || double.IsInfinity(rv))
                    {
                        error = "--rate needs a positive number of requests per second";
                        return null;
                    }

                    rate = rv;
                    break;
                case "--duration":
                    if (!TryValue(args, ref i, out var d) || !double.TryParse(d, NumberStyles.Float, CultureInfo.InvariantCulture, out var dv) || !(dv > 0) || dv > 86_400)
                    {
                        error = "--duration needs a positive number of seconds";
                        return null;
                    }

                    duration = TimeSpan.FromSeconds(dv);
                    break;
                case "--rounds":
                    if (!TryValue(args, ref i, out var n) || !int.TryParse(n, NumberStyles.Integer, CultureInfo.InvariantCulture, out var nv) || nv < 3 || nv > 100)
                    {
                        error = "--rounds needs a whole number from 3 to 100";
                        return null;
                    }

                    rounds = nv;
                    break;
                default:
                    if (arg.StartsWith('-'))
                    {
                        error = $"unknown option '{arg}'";
                        return null;
                    }

                    if (scenario is not null)
                    {
                        error = $"only one scenario (or all) can be given, got '{scenario}' and '{arg}'";
                        return null;
                    }

                    scenario = arg;
                    break;
            }
        }

        if (scenario is null)
        {
            error = "no scenario given";
            return null;
        }

        if (output is null)
        {
            error = "--out <dir> is required";
            return null;
        }

        return new LoadArguments
        {
            Scenario = scenario,
            OutputDirectory = output,
            Quick = quick,
            Rate = rate,
            Duration = duration,
            Rounds = rounds,
            NoBuild = noBuild,
        };
    }

    private static bool TryValue(IReadOnlyList<string> args, ref int i, out string value)
    {
        if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            value = args[++i];
            return true;
        }

        value = "";
        return false;
    }
}
