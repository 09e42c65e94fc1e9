using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Migration.Core.OpenAI;

namespace Migration.Core.Pricing;

/// <summary>
/// Prices per model and the cost of a request from its usage. Immutable; build one per side:
/// <code>
/// var primary   = PriceTable.Default.With(pricingOverrides);
/// var candidate = primary.WithDiscount(0.30m).With(candidateOverrides); // relay: 30 % off list, some exact prices
/// </code>
/// <see cref="WithDiscount"/> scales every entry present at that point; entries added afterwards with
/// <see cref="With"/> are taken at face value. Model names are matched leniently: case-insensitive, provider
/// prefixes (<c>openai/gpt-4.1</c>), <c>:tags</c> and dated or version suffixes (<c>gpt-4.1-2025-04-14</c>,
/// <c>claude-sonnet-4-5-20250929</c>, <c>-latest</c>) are ignored, and <c>.</c> equals <c>-</c> in version numbers
/// (<c>claude-sonnet-4.5</c>).
/// </summary>
public sealed partial class PriceTable
{
    /// <summary>
    /// Public list prices, USD per million tokens (standard tier, no batch discount, short-context tier),
    /// as published on 2025-10-15 by openai.com/api/pricing, claude.com/pricing, ai.google.dev/gemini-api/docs/pricing
    /// and api-docs.deepseek.com/quick_start/pricing. Cached input = prompt-cache read price.
    /// </summary>
    public static IReadOnlyDictionary<string, ModelPrice> ListPrices { get; } = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase)
    {
        ["gpt-4.1"] = new(2.00m, 8.00m, 0.50m),
        ["gpt-4.1-mini"] = new(0.40m, 1.60m, 0.10m),
        ["gpt-4.1-nano"] = new(0.10m, 0.40m, 0.025m),
        ["gpt-4o"] = new(2.50m, 10.00m, 1.25m),
        ["gpt-4o-mini"] = new(0.15m, 0.60m, 0.075m),
        ["claude-sonnet-4-5"] = new(3.00m, 15.00m, 0.30m),
        ["claude-haiku-4-5"] = new(1.00m, 5.00m, 0.10m),
        ["gemini-2.5-flash"] = new(0.30m, 2.50m, 0.03m),
        ["gemini-2.5-pro"] = new(1.25m, 10.00m, 0.125m),
        ["deepseek-v3.2"] = new(0.28m, 0.42m, 0.028m),
        ["deepseek-chat"] = new(0.28m, 0.42m, 0.028m),
        ["deepseek-reasoner"] = new(0.28m, 0.42m, 0.028m),
        ["text-embedding-3-small"] = new(0.02m, 0m),
        ["text-embedding-3-large"] = new(0.13m, 0m),
    };

    /// <summary>The list prices, no discount.</summary>
    public static PriceTable Default { get; } = new(ListPrices);

    private readonly FrozenDictionary<string, ModelPrice> _prices;

    /// <summary>Creates a table with exactly these entries (use <see cref="Default"/>.<see cref="With"/> to start from list prices).</summary>
    public PriceTable(IEnumerable<KeyValuePair<string, ModelPrice>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var map = new Dictionary<string, ModelPrice>(StringComparer.Ordinal);
        foreach (var (model, price) in entries)
        {
            ArgumentNullException.ThrowIfNull(price);
            map[Key(model)] = price;
        }

        _prices = map.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Number of models priced.</summary>
    public int Count => _prices.Count;

    /// <summary>A table with these entries added or replacing existing ones (at face value).</summary>
    public PriceTable With(IEnumerable<KeyValuePair<string, ModelPrice>>? entries)
    {
        if (entries is null)
        {
            return this;
        }

        var map = new Dictionary<string, ModelPrice>(_prices, StringComparer.Ordinal);
        foreach (var (model, price) in entries)
        {
            ArgumentNullException.ThrowIfNull(price);
            map[Key(model)] = price;
        }

        return new PriceTable(map);
    }

    /// <summary>A table with every current price reduced by <paramref name="discount"/> (0..1; 0.3 = 30 % cheaper).</summary>
    public PriceTable WithDiscount(decimal discount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(discount, 0m);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(discount, 1m);
        if (discount == 0m)
        {
            return this;
        }

        var factor = 1m - discount;
        return new PriceTable(_prices.Select(p => KeyValuePair.Create(p.Key, p.Value.Scale(factor))));
    }

    /// <summary>The price of a model (lenient name matching, see the class remarks).</summary>
    public bool TryGetPrice(string? model, [NotNullWhen(true)] out ModelPrice? price)
    {
        price = null;
        if (string.IsNullOrWhiteSpace(model))
        {
            return false;
        }

        var key = Key(model);
        while (true)
        {
            if (_prices.TryGetValue(key, out price))
            {
                return true;
            }

            var shorter = VersionSuffix().Replace(key, string.Empty, 1);
            if (shorter.Length == key.Length || shorter.Length == 0)
            {
                return false;
            }

            key = shorter;
        }
    }

    /// <summary>Cost in USD of a request with <paramref name="usage"/>; null when the model has no price or there is no usage.</summary>
    public decimal? Cost(string? model, TokenUsage? usage)
    {
        if (usage is null || !TryGetPrice(model, out var price))
        {
            return null;
        }

        var cached = Math.Clamp(usage.CachedPromptTokens, 0, Math.Max(usage.PromptTokens, 0));
        var uncached = Math.Max(usage.PromptTokens, 0) - cached;
        var micro = (uncached * price.InputPerMTok)
            + (cached * (price.CachedInputPerMTok ?? price.InputPerMTok))
            + (Math.Max(usage.CompletionTokens, 0) * price.OutputPerMTok);
        return micro / 1_000_000m;
    }

    /// <summary>The lookup form of a model name: lower case, no provider prefix, no <c>:tag</c>, dots as dashes.</summary>
    internal static string Key(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var name = model.Trim();
        var slash = name.LastIndexOf('/');
        if (slash >= 0)
        {
            name = name[(slash + 1)..];
        }

        var colon = name.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            name = name[..colon];
        }

        return name.ToLowerInvariant().Replace('.', '-');
    }

    // A dated or version suffix: -2025-04-14, -05-20, -20250929, -0613, -latest, -preview, -exp, -v1, -001.
    [GeneratedRegex(@"-(?:\d{4}-\d{2}-\d{2}|\d{2}-\d{2}|\d{8}|\d{4}|\d{3}|latest|preview|exp|v\d+(?:-\d+)?)$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionSuffix();
}
