using Migration.Core.Pricing;

namespace Migration.AspNetCore.Configuration;

/// <summary>List price of one model in USD per million tokens.</summary>
public sealed class ModelPriceOptions
{
    /// <summary>USD per million prompt tokens.</summary>
    public decimal InputPerMTok { get; set; }

    /// <summary>USD per million completion tokens.</summary>
    public decimal OutputPerMTok { get; set; }

    /// <summary>USD per million cached prompt tokens; null = same as <see cref="InputPerMTok"/>.</summary>
    public decimal? CachedInputPerMTok { get; set; }

    internal ModelPrice ToModelPrice() => new(InputPerMTok, OutputPerMTok, CachedInputPerMTok);
}
