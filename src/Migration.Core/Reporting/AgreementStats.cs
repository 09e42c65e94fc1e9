namespace Migration.Core.Reporting;

/// <summary>Match-score percentiles (0..1) over compared rows; null when there is no score.</summary>
public sealed record ScorePercentiles(double? P10, double? P50, double? P90)
{
    /// <summary>No data.</summary>
    public static ScorePercentiles Empty { get; } = new(null, null, null);
}

/// <summary>One agreement distribution: candidate vs primary, or primary vs primary (the noise floor).</summary>
/// <param name="Samples">Compared rows (verdict not <c>error</c>).</param>
/// <param name="Matches">Rows judged exact, equivalent or similar.</param>
/// <param name="Verdicts">Rows per verdict.</param>
/// <param name="Score">Match-score percentiles of the compared rows.</param>
public sealed record AgreementDistribution(long Samples, long Matches, VerdictCounts Verdicts, ScorePercentiles Score)
{
    /// <summary>No data.</summary>
    public static AgreementDistribution Empty { get; } = new(0, 0, VerdictCounts.Empty, ScorePercentiles.Empty);

    /// <summary>Matches / samples; null without samples.</summary>
    public double? MatchShare => Samples == 0 ? null : (double)Matches / Samples;

    /// <summary>The distribution of <paramref name="verdicts"/> (matches are exact + equivalent + similar).</summary>
    public static AgreementDistribution From(VerdictCounts verdicts, ScorePercentiles score)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        ArgumentNullException.ThrowIfNull(score);
        var matches = verdicts.Exact + verdicts.Equivalent + verdicts.Similar;
        return new AgreementDistribution(matches + verdicts.Different, matches, verdicts, score);
    }
}

/// <summary>Candidate-vs-primary beside primary-vs-primary, over the same window and model filter.</summary>
/// <param name="Candidate">Candidate rows (kind <c>candidate</c>).</param>
/// <param name="Noise">Noise-floor rows (kind <c>noise</c>): the primary asked twice.</param>
public sealed record AgreementStats(AgreementDistribution Candidate, AgreementDistribution Noise)
{
    /// <summary>No data on either side.</summary>
    public static AgreementStats Empty { get; } = new(AgreementDistribution.Empty, AgreementDistribution.Empty);
}
