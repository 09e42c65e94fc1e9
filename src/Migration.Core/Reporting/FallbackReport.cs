namespace Migration.Core.Reporting;

/// <summary>
/// The fallback model chains on the candidate over the report's window: what the stored attempts
/// (<c>candidate_attempts</c>, <c>Candidate:FallbackModels</c>) came to. Requests whose model has no chain record no
/// attempts and are not counted here.
/// </summary>
/// <param name="Requests">Live requests with a chain that reached the candidate.</param>
/// <param name="ServedByFallback">Of those, the ones a model after the first one served.</param>
/// <param name="FellBackToPrimary">Of those, the ones where no model answered and the primary served the request.</param>
/// <param name="CostUsd">What all their attempts cost on the candidate (attempts without a known cost count as 0).</param>
/// <param name="Models">Per requested model and model tried, in the order they were tried.</param>
public sealed record FallbackReport(
    long Requests,
    long ServedByFallback,
    long FellBackToPrimary,
    decimal CostUsd,
    IReadOnlyList<FallbackModelStats> Models);

/// <summary>The attempts on one model of a chain.</summary>
/// <param name="RequestedModel">The model the client asked for (the chain's key).</param>
/// <param name="Model">The model tried on the candidate.</param>
/// <param name="Attempts">Attempts on it.</param>
/// <param name="Served">Attempts whose answer reached the client.</param>
/// <param name="NextModel">Attempts that failed before the first byte and moved on to the next model.</param>
/// <param name="Retried">429s waited out and retried on the same model.</param>
/// <param name="FellBack">Attempts that failed with nothing left to try (the primary served the request).</param>
/// <param name="FailedAfterCommit">Answers that broke off after the client got the first bytes.</param>
/// <param name="CostUsd">What its attempts cost.</param>
/// <param name="AverageLatencyMs">Mean attempt duration; null when there were none.</param>
public sealed record FallbackModelStats(
    string RequestedModel,
    string Model,
    long Attempts,
    long Served,
    long NextModel,
    long Retried,
    long FellBack,
    long FailedAfterCommit,
    decimal CostUsd,
    double? AverageLatencyMs);
