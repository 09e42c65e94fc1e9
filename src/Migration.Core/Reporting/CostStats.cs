namespace Migration.Core.Reporting;

/// <summary>
/// Cost figures over the candidate rows, computed by the storage. Only exchanges priced on both sides with a
/// successful candidate are compared; the others are counted, never taken as $0.
/// </summary>
/// <param name="Compared">Exchanges priced on both sides where the candidate succeeded.</param>
/// <param name="PrimaryUsd">Primary cost over <paramref name="Compared"/>.</param>
/// <param name="CandidateUsd">Candidate cost over <paramref name="Compared"/>.</param>
/// <param name="CandidateFailed">Exchanges the candidate failed or timed out on.</param>
/// <param name="CandidateFailedBilledUsd">What the failed candidate calls were billed where usage came back.</param>
/// <param name="CandidateFailedUnknown">Failed candidate calls without usage: their cost is unknown.</param>
/// <param name="CandidateUnpriced">Successful candidate calls without a price (no usage, or no price for the model).</param>
/// <param name="PrimaryUnpriced">Exchanges whose primary side has no price.</param>
/// <param name="EstimatedTokens">Rows whose tokens were counted with a tokenizer (no usage from the provider).</param>
/// <param name="ObservedRequests">Live requests of the window (all arms, from the traffic buckets), for the projection.</param>
/// <param name="ObservedSeconds">Length of the observed window in seconds; 0 when unknown.</param>
public sealed record CostStats(
    long Compared,
    decimal PrimaryUsd,
    decimal CandidateUsd,
    long CandidateFailed,
    decimal CandidateFailedBilledUsd,
    long CandidateFailedUnknown,
    long CandidateUnpriced,
    long PrimaryUnpriced,
    long EstimatedTokens,
    long ObservedRequests,
    double ObservedSeconds)
{
    /// <summary>No data.</summary>
    public static CostStats Empty { get; } = new(0, 0m, 0m, 0, 0m, 0, 0, 0, 0, 0, 0);

    /// <summary>Exchanges left out of the comparison.</summary>
    public long Excluded => CandidateFailed + CandidateUnpriced + PrimaryUnpriced;
}
