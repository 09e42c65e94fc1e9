using System.Globalization;

namespace Migration.Simulator.Hosting;

/// <summary>
/// The standalone simulator: short switches mapped onto the <c>Simulator</c> configuration section (which also
/// reads <c>--Simulator:Key=value</c> and <c>Simulator__Key</c> environment variables), validated before start.
/// </summary>
internal static class SimulatorCommandLine
{
    public const int InvalidOptionsExitCode = 2;

    /// <summary>Short switch => configuration key.</summary>
    public static readonly IReadOnlyDictionary<string, string> SwitchMappings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["--name"] = "Simulator:Name",
        ["--api-key"] = "Simulator:ApiKey",
        ["--models"] = "Simulator:Models",
        ["--seed"] = "Simulator:Seed",
        ["--agreement"] = "Simulator:AgreementRate",
        ["--divergence-salt"] = "Simulator:DivergenceSalt",
        ["--answers"] = "Simulator:AnswerStyle",
        ["--degraded-rate"] = "Simulator:DegradedRate",
        ["--early-role-chunk"] = "Simulator:EarlyRoleChunk",
        ["--ttft-median-ms"] = "Simulator:TtftMedianMs",
        ["--ttft-p99-ms"] = "Simulator:TtftP99Ms",
        ["--chunk-median-ms"] = "Simulator:ChunkDelayMedianMs",
        ["--chunk-p99-ms"] = "Simulator:ChunkDelayP99Ms",
        ["--tokens-per-chunk"] = "Simulator:TokensPerChunk",
        ["--embedding-dimensions"] = "Simulator:EmbeddingDimensions",
        ["--faults"] = "Simulator:FaultsJson",
    };

    // Host switches ASP.NET Core itself understands.
    private static readonly string[] HostSwitches = ["--urls", "--environment", "--contentRoot", "--applicationName", "--http_ports", "--https_ports"];

    public const string Usage = """
        Usage: Migration.Simulator [options]
          --urls <url>                   where to listen (default http://localhost:5000), e.g. http://127.0.0.1:5101
          --name <name>                  provider name (default simulator)
          --api-key <key>                required Bearer key (default: none, no auth)
          --models <a,b,...>             served models (default gpt-4.1,gpt-4.1-mini,gpt-4o,gpt-4o-mini,text-embedding-3-small,text-embedding-3-large)
          --seed <int>                   seed of latency and fault draws (default 1)
          --agreement <0..1>             share of prompts answered with the canonical text (default 1)
          --divergence-salt <text>       picks which prompts diverge or degrade (default divergence)
          --answers <style>              classic (default: sentence bank, identical when agreeing), verbatim (model-like
                                         answers, same wording everywhere), paraphrase (reworded per provider),
                                         sampling (reworded on every call, like temperature > 0)
          --degraded-rate <0..1>         share of prompts answered by "a weaker model": fewer facts, other numbers,
                                         off-topic parts (default 0; needs --answers other than classic)
          --early-role-chunk <bool>      streams send headers and the role chunk at once, content after the TTFT
          --ttft-median-ms <ms>          time to first token, median (default 0)
          --ttft-p99-ms <ms>             time to first token, p99 (>= median)
          --chunk-median-ms <ms>         delay between stream chunks, median (default 0)
          --chunk-p99-ms <ms>            delay between stream chunks, p99 (>= median)
          --tokens-per-chunk <n>         tokens per streamed chunk (default 3)
          --embedding-dimensions <n>     embedding length (default 1536)
          --faults <json>                initial faults, e.g. {"error500Rate":0.05,"error429Rate":0.02,"retryAfterSeconds":2}
        Any option also binds as --Simulator:<Property>=<value> or the environment variable Simulator__<Property>.
        Control at run time: GET/PUT/DELETE /_sim/faults, GET/PUT/DELETE /_sim/answers, GET/DELETE /_sim/stats.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Any(a => a is "--help" or "-h" or "-?"))
        {
            await output.WriteLineAsync(Usage);
            return 0;
        }

        var errors = new List<string>();
        errors.AddRange(UnknownSwitches(args));

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(SimulatorCommandLine).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        try
        {
            builder.Configuration.AddCommandLine(args, SwitchMappings.ToDictionary(p => p.Key, p => p.Value));
        }
        catch (FormatException ex)
        {
            errors.Add(ex.Message);
        }

        var options = Bind(builder.Configuration.GetSection(SimulatorOptions.SectionName), errors);
        errors.AddRange(options.Validate());
        if (errors.Count > 0)
        {
            await error.WriteLineAsync("Invalid simulator options:");
            foreach (var problem in errors)
            {
                await error.WriteLineAsync("  - " + problem);
            }

            await error.WriteLineAsync("Run with --help for the list of options.");
            return InvalidOptionsExitCode;
        }

        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        var state = new SimulatorState(options, TimeProvider.System);
        SimulatorApplication.ConfigureServices(builder, state);
        await using var app = builder.Build();
        SimulatorApplication.Configure(app, state);
        await app.StartAsync();
        await output.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"Simulator '{options.Name}' listening on {string.Join(", ", app.Urls)}: models {string.Join(",", options.Models)}, agreement {options.AgreementRate}, answers {AnswerStyles.Name(options.AnswerStyle)} (degraded {options.DegradedRate}), TTFT median/p99 {options.TtftMedianMs}/{options.TtftP99Ms} ms, chunk delay {options.ChunkDelayMedianMs}/{options.ChunkDelayP99Ms} ms, auth {(string.IsNullOrEmpty(options.ApiKey) ? "off" : "on")}."));
        await app.WaitForShutdownAsync();
        return 0;
    }

    internal static IEnumerable<string> UnknownSwitches(string[] args)
    {
        foreach (var arg in args)
        {
            if (!arg.StartsWith('-'))
            {
                continue;
            }

            var name = arg.Split('=', 2)[0];
            var known = SwitchMappings.ContainsKey(name)
                || HostSwitches.Contains(name, StringComparer.OrdinalIgnoreCase)
                || (name.StartsWith("--", StringComparison.Ordinal) && name.Contains(':', StringComparison.Ordinal));
            if (!known && !double.TryParse(arg, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                yield return $"Unknown option '{name}'.";
            }
        }
    }

    /// <summary>Reads the options from a configuration section, listing every value that does not parse.</summary>
    internal static SimulatorOptions Bind(IConfiguration section, List<string> errors)
    {
        var options = new SimulatorOptions();
        options.Name = section["Name"] ?? options.Name;
        var apiKey = section["ApiKey"];
        options.ApiKey = string.IsNullOrEmpty(apiKey) ? null : apiKey;
        options.DivergenceSalt = section["DivergenceSalt"] ?? options.DivergenceSalt;

        var models = section.GetSection("Models");
        var listed = models.GetChildren().Select(c => c.Value).Where(v => v is not null).ToList();
        if (listed.Count > 0)
        {
            options.Models = listed.Select(v => v!.Trim()).ToList();
        }
        else if (models.Value is { } csv)
        {
            options.Models = csv.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        }

        options.Seed = ReadInt(section, "Seed", options.Seed, errors);
        options.AgreementRate = ReadDouble(section, "AgreementRate", options.AgreementRate, errors);
        options.AnswerStyle = ReadStyle(section, "AnswerStyle", options.AnswerStyle, errors);
        options.DegradedRate = ReadDouble(section, "DegradedRate", options.DegradedRate, errors);
        options.EarlyRoleChunk = ReadBool(section, "EarlyRoleChunk", options.EarlyRoleChunk, errors);
        options.TtftMedianMs = ReadDouble(section, "TtftMedianMs", options.TtftMedianMs, errors);
        options.TtftP99Ms = ReadDouble(section, "TtftP99Ms", options.TtftMedianMs, errors);
        options.ChunkDelayMedianMs = ReadDouble(section, "ChunkDelayMedianMs", options.ChunkDelayMedianMs, errors);
        options.ChunkDelayP99Ms = ReadDouble(section, "ChunkDelayP99Ms", options.ChunkDelayMedianMs, errors);
        options.TokensPerChunk = ReadInt(section, "TokensPerChunk", options.TokensPerChunk, errors);
        options.EmbeddingDimensions = ReadInt(section, "EmbeddingDimensions", options.EmbeddingDimensions, errors);

        if (section["FaultsJson"] is { Length: > 0 } faultsJson)
        {
            var faults = ControlEndpoints.ParseFaults(faultsJson, out var faultErrors);
            if (faults is null)
            {
                errors.AddRange(faultErrors.Select(e => "Simulator:FaultsJson (--faults): " + e));
            }
            else
            {
                options.Faults = faults;
            }
        }

        var f = section.GetSection("Faults");
        if (f.GetChildren().Any())
        {
            options.Faults = options.Faults with
            {
                Error500Rate = ReadDouble(f, "Error500Rate", options.Faults.Error500Rate, errors, "Faults:"),
                Error502Rate = ReadDouble(f, "Error502Rate", options.Faults.Error502Rate, errors, "Faults:"),
                Error503Rate = ReadDouble(f, "Error503Rate", options.Faults.Error503Rate, errors, "Faults:"),
                Error429Rate = ReadDouble(f, "Error429Rate", options.Faults.Error429Rate, errors, "Faults:"),
                RetryAfterSeconds = ReadInt(f, "RetryAfterSeconds", options.Faults.RetryAfterSeconds, errors, "Faults:"),
                HangRate = ReadDouble(f, "HangRate", options.Faults.HangRate, errors, "Faults:"),
                HangMs = ReadInt(f, "HangMs", options.Faults.HangMs, errors, "Faults:"),
                ResetRate = ReadDouble(f, "ResetRate", options.Faults.ResetRate, errors, "Faults:"),
                TruncateRate = ReadDouble(f, "TruncateRate", options.Faults.TruncateRate, errors, "Faults:"),
                MalformedRate = ReadDouble(f, "MalformedRate", options.Faults.MalformedRate, errors, "Faults:"),
                Outage = ReadBool(f, "Outage", options.Faults.Outage, errors, "Faults:"),
                ExtraLatencyMs = ReadInt(f, "ExtraLatencyMs", options.Faults.ExtraLatencyMs, errors, "Faults:"),
            };
        }

        return options;
    }

    private static AnswerStyle ReadStyle(IConfiguration section, string key, AnswerStyle fallback, List<string> errors)
    {
        var text = section[key];
        if (text is null)
        {
            return fallback;
        }

        if (AnswerStyles.TryParse(text, out var style))
        {
            return style;
        }

        errors.Add($"Simulator:{key}: '{text}' is not one of {AnswerStyles.Names} (--answers).");
        return fallback;
    }

    private static double ReadDouble(IConfiguration section, string key, double fallback, List<string> errors, string prefix = "")
    {
        var text = section[key];
        if (text is null)
        {
            return fallback;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return value;
        }

        errors.Add($"Simulator:{prefix}{key}: '{text}' is not a number.");
        return fallback;
    }

    private static int ReadInt(IConfiguration section, string key, int fallback, List<string> errors, string prefix = "")
    {
        var text = section[key];
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.Add($"Simulator:{prefix}{key}: '{text}' is not a whole number.");
        return fallback;
    }

    private static bool ReadBool(IConfiguration section, string key, bool fallback, List<string> errors, string prefix = "")
    {
        var text = section[key];
        if (text is null)
        {
            return fallback;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        errors.Add($"Simulator:{prefix}{key}: '{text}' is not true or false.");
        return fallback;
    }
}
