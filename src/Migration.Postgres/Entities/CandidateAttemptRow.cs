namespace Migration.Postgres.Entities;

/// <summary>
/// One row of <c>candidate_attempts</c>: one model tried along the candidate's fallback chain. Outcome and error class
/// are stored as lowercase text (see <see cref="StorageNames"/>).
/// </summary>
public sealed class CandidateAttemptRow
{
    public long Id { get; set; }
    public DateTimeOffset Time { get; set; }
    public string RequestId { get; set; } = "";
    public string Route { get; set; } = "";
    public string Reason { get; set; } = "";
    public string RequestedModel { get; set; } = "";
    public string Model { get; set; } = "";
    public int Attempt { get; set; }
    public string Outcome { get; set; } = "";
    public string ErrorClass { get; set; } = "";
    public int? Status { get; set; }
    public double LatencyMs { get; set; }
    public double? TtftMs { get; set; }
    public int? TokensIn { get; set; }
    public int? TokensOut { get; set; }
    public decimal? CostUsd { get; set; }
    public string? Message { get; set; }
}
