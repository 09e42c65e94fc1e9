namespace Migration.Core.Pricing;

/// <summary>Price of one model in USD per million tokens.</summary>
/// <param name="InputPerMTok">Prompt tokens.</param>
/// <param name="OutputPerMTok">Completion tokens.</param>
/// <param name="CachedInputPerMTok">Prompt tokens read from the prompt cache; null = same as <paramref name="InputPerMTok"/>.</param>
public sealed record ModelPrice(decimal InputPerMTok, decimal OutputPerMTok, decimal? CachedInputPerMTok = null)
{
    /// <summary>This price multiplied by <paramref name="factor"/> (e.g. 0.7 for a 30 % discount).</summary>
    public ModelPrice Scale(decimal factor) => new(InputPerMTok * factor, OutputPerMTok * factor, CachedInputPerMTok * factor);
}
