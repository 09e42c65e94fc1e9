using System.Text.Json.Serialization;

namespace Migration.Load.Reports;

/// <summary>
/// The JSON report of one scenario:
/// <c>{"scenario","config","arms":{name:{"rps","ok","fail","latencyMs":{"p50","p90","p99","max"},"ttftMs"?,"workingSetMb"?}},"ratios","goals"}</c>,
/// plus optional extras (spread over rounds, data transferred, failures by reason, notes).
/// </summary>
internal sealed class ScenarioReport
{
    [JsonPropertyName("scenario")]
    public required string Scenario { get; init; }

    /// <summary>"ok", or "not_available" when the product part the scenario needs does not exist yet.</summary>
    [JsonPropertyName("status")]
    public string Status { get; set; } = "ok";

    [JsonPropertyName("config")]
    public SortedDictionary<string, object?> Config { get; init; } = new(StringComparer.Ordinal);

    [JsonPropertyName("arms")]
    public Dictionary<string, ArmReport> Arms { get; init; } = new(StringComparer.Ordinal);

    [JsonPropertyName("ratios")]
    public Dictionary<string, double> Ratios { get; init; } = new(StringComparer.Ordinal);

    [JsonPropertyName("goals")]
    public List<GoalResult> Goals { get; init; } = [];

    [JsonPropertyName("notes")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public List<string>? Notes { get; set; }

    public void AddNote(string note) => (Notes ??= []).Add(note);
}

/// <summary>One arm (one configuration of the system under test) of a scenario.</summary>
internal sealed class ArmReport
{
    [JsonPropertyName("rps")]
    public double Rps { get; set; }

    [JsonPropertyName("ok")]
    public long Ok { get; set; }

    [JsonPropertyName("fail")]
    public long Fail { get; set; }

    [JsonPropertyName("latencyMs")]
    public required Percentiles LatencyMs { get; set; }

    [JsonPropertyName("ttftMs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Percentiles? TtftMs { get; set; }

    [JsonPropertyName("workingSetMb")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? WorkingSetMb { get; set; }

    /// <summary>Data received by the client, MB.</summary>
    [JsonPropertyName("dataMb")]
    public double DataMb { get; set; }

    /// <summary>Failures by reason or status code.</summary>
    [JsonPropertyName("failures")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SortedDictionary<string, long>? Failures { get; set; }

    /// <summary>Number of rounds the figures are the median of (1 when not compared in rounds).</summary>
    [JsonPropertyName("rounds")]
    public int Rounds { get; set; } = 1;

    /// <summary>min..max over rounds of the per-round p50 and p99 (and rps).</summary>
    [JsonPropertyName("spread")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Spread? Spread { get; set; }

    /// <summary>Other measured values of this arm (e.g. inter-chunk gap p99, dropped shadows).</summary>
    [JsonPropertyName("extra")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SortedDictionary<string, double>? Extra { get; set; }

    public void SetExtra(string name, double value) => (Extra ??= new(StringComparer.Ordinal))[name] = value;
}

/// <summary>Latency percentiles in milliseconds.</summary>
internal sealed record Percentiles(
    [property: JsonPropertyName("p50")] double P50,
    [property: JsonPropertyName("p90")] double P90,
    [property: JsonPropertyName("p99")] double P99,
    [property: JsonPropertyName("max")] double Max);

/// <summary>Range of per-round values.</summary>
internal sealed record Spread(
    [property: JsonPropertyName("p50")] double[] P50,
    [property: JsonPropertyName("p99")] double[] P99,
    [property: JsonPropertyName("rps")] double[] Rps);

/// <summary>A goal from the issue and whether the run met it. Value and met are null when it could not be measured.</summary>
internal sealed record GoalResult(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("value")] double? Value,
    [property: JsonPropertyName("target")] string Target,
    [property: JsonPropertyName("met")] bool? Met)
{
    public static GoalResult AtMost(string name, double? value, double target, string unit = "") =>
        new(name, Round(value), FormattableString.Invariant($"<= {target}{unit}"), value is { } v && !double.IsNaN(v) ? v <= target : null);

    public static GoalResult AtLeast(string name, double? value, double target, string unit = "") =>
        new(name, Round(value), FormattableString.Invariant($">= {target}{unit}"), value is { } v && !double.IsNaN(v) ? v >= target : null);

    public static GoalResult NotRun(string name, string target) => new(name, null, target, null);

    private static double? Round(double? value) => value is { } v && !double.IsNaN(v) && !double.IsInfinity(v) ? Math.Round(v, 4) : null;
}
