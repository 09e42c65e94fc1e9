using System.Globalization;

namespace Migration.SampleApi.Demo;

/// <summary>Command-line arguments of <c>--demo</c>.</summary>
internal sealed record DemoArguments
{
    public const string Usage =
        "usage: Migration.SampleApi --demo [--mode middleware|outgoing] [--duration <seconds>] [--concurrency <n>] [--report-json <file>] [--quiet]";

    public int DurationSeconds { get; init; } = 60;

    public int Concurrency { get; init; } = 8;

    public string? ReportJsonPath { get; init; }

    public bool Quiet { get; init; }

    /// <summary>Where the harness sits: the gateway's middleware (default) or the support app's HttpClient.</summary>
    public SampleMode Mode { get; init; }

    /// <summary>Parses the arguments; on bad usage returns null and the problem.</summary>
    public static DemoArguments? Parse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        var result = new DemoArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg.ToLowerInvariant())
            {
                case "--demo":
                    break;
                case "--quiet":
                    result = result with { Quiet = true };
                    break;
                case "--duration":
                    if (!TryInt(args, ref i, 5, 3600, out var duration, out error))
                    {
                        error = "--duration: " + error;
                        return null;
                    }

                    result = result with { DurationSeconds = duration };
                    break;
                case "--concurrency":
                    if (!TryInt(args, ref i, 1, 256, out var concurrency, out error))
                    {
                        error = "--concurrency: " + error;
                        return null;
                    }

                    result = result with { Concurrency = concurrency };
                    break;
                case "--mode":
                    if (i + 1 >= args.Count || !SampleApps.TryParseMode(args[i + 1], out var mode))
                    {
                        error = "--mode: middleware or outgoing is required";
                        return null;
                    }

                    i++;
                    result = result with { Mode = mode };
                    break;
                case "--report-json":
                    if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        error = "--report-json: a file path is required";
                        return null;
                    }

                    result = result with { ReportJsonPath = args[++i] };
                    break;
                default:
                    // ASP.NET-style configuration switches (--urls, --Key=Value, --Key Value) are left to the host.
                    if (arg.StartsWith("--", StringComparison.Ordinal) && (arg.Contains('=', StringComparison.Ordinal) || char.IsUpper(arg[2])))
                    {
                        break;
                    }

                    error = $"unknown argument '{arg}'";
                    return null;
            }
        }

        return result;
    }

    private static bool TryInt(IReadOnlyList<string> args, ref int i, int min, int max, out int value, out string? error)
    {
        value = 0;
        if (i + 1 >= args.Count)
        {
            error = "a number is required";
            return false;
        }

        var text = args[++i];
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) || value < min || value > max)
        {
            error = $"must be a whole number from {min} to {max} (got '{text}')";
            return false;
        }

        error = null;
        return true;
    }
}
