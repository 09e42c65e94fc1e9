namespace Migration.Simulator.Hosting;

/// <summary>
/// The JSON body of <c>PUT /_sim/faults</c>. A mutable twin of <see cref="FaultSettings"/>: the JSON source
/// generator sets every init-only property it is not given to 0, which would lose defaults such as
/// <see cref="FaultSettings.HangMs"/>, so bodies are read into this and converted.
/// </summary>
internal sealed class FaultSettingsDocument
{
    public double Error500Rate { get; set; }

    public double Error502Rate { get; set; }

    public double Error503Rate { get; set; }

    public double Error429Rate { get; set; }

    public int RetryAfterSeconds { get; set; } = FaultSettings.None.RetryAfterSeconds;

    public string? RateLimitedKey { get; set; }

    public double HangRate { get; set; }

    public int HangMs { get; set; } = FaultSettings.None.HangMs;

    public double ResetRate { get; set; }

    public double TruncateRate { get; set; }

    public double MalformedRate { get; set; }

    public bool Outage { get; set; }

    public int ExtraLatencyMs { get; set; }

    public FaultSettings ToSettings() => new()
    {
        Error500Rate = Error500Rate,
        Error502Rate = Error502Rate,
        Error503Rate = Error503Rate,
        Error429Rate = Error429Rate,
        RetryAfterSeconds = RetryAfterSeconds,
        RateLimitedKey = RateLimitedKey,
        HangRate = HangRate,
        HangMs = HangMs,
        ResetRate = ResetRate,
        TruncateRate = TruncateRate,
        MalformedRate = MalformedRate,
        Outage = Outage,
        ExtraLatencyMs = ExtraLatencyMs,
    };
}
