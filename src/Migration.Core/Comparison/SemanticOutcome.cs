namespace Migration.Core.Comparison;

/// <summary>A comparison re-scored by the semantic tier (<see cref="SemanticScorer.RescoreAsync"/>).</summary>
/// <param name="Result">
/// The final result: tier <see cref="ComparisonTier.Semantic"/>, the lowest pair score as its score, the verdict from
/// the model's cut-offs, the diff summary with <c>semanticScore</c> and <c>scoringModel</c> added.
/// </param>
/// <param name="ModelId">The embedding model that scored the pairs.</param>
/// <param name="InputTokens">Tokens the generator reported for the inputs (remote endpoints); null when it reports none.</param>
public sealed record SemanticOutcome(ComparisonResult Result, string ModelId, long? InputTokens);
