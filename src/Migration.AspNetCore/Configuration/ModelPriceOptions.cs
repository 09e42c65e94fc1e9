namespace Migration.AspNetCore.Configuration;

/// <summary>List price of one model in USD per million tokens.</summary>
public sealed class ModelPriceOptions
{
    /// <summary>USD per million prompt tokens.</summary>
    public decimal InputPerMTok { get; set; }

    /// <summary>USD per million completion tokens.</summary>
    public decimal OutputPerMTok { get; set; }
}
