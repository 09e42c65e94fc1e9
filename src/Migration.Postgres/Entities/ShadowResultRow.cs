namespace Migration.Postgres.Entities;

/// <summary>One row of <c>shadow_results</c>. Enum-like columns are stored as lowercase text (see <see cref="StorageNames"/>).</summary>
public sealed class ShadowResultRow
{
    public long Id { get; set; }
    public DateTimeOffset Time { get; set; }
    public string Kind { get; set; } = "candidate";
    public string RequestId { get; set; } = "";
    public string Route { get; set; } = "";
    public string PrimaryModel { get; set; } = "";
    public string CandidateModel { get; set; } = "";
    public bool Streamed { get; set; }
    public int PrimaryStatus { get; set; }
    public int? CandidateStatus { get; set; }
    public double PrimaryLatencyMs { get; set; }
    public double? CandidateLatencyMs { get; set; }
    public double? PrimaryTtftMs { get; set; }
    public double? CandidateTtftMs { get; set; }
    public double? PrimaryFirstByteMs { get; set; }
    public double? CandidateFirstByteMs { get; set; }
    public int? PrimaryTokensIn { get; set; }
    public int? PrimaryTokensOut { get; set; }
    public int? CandidateTokensIn { get; set; }
    public int? CandidateTokensOut { get; set; }
    public bool PrimaryTokensEstimated { get; set; }
    public bool CandidateTokensEstimated { get; set; }
    public decimal? PrimaryCostUsd { get; set; }
    public decimal? CandidateCostUsd { get; set; }
    public double? MatchScore { get; set; }
    public string? MatchTier { get; set; }
    public string? SemanticSkipped { get; set; }
    public string? ScoringModel { get; set; }
    public int? ScoringTokens { get; set; }
    public decimal? ScoringCostUsd { get; set; }
    public string Verdict { get; set; } = "";
    public string CandidateErrorClass { get; set; } = "";
    public string? DiffSummary { get; set; }
    public string? RequestBody { get; set; }
    public string? PrimaryBody { get; set; }
    public string? CandidateBody { get; set; }
    public string? Error { get; set; }
    public string Instance { get; set; } = "";
}
