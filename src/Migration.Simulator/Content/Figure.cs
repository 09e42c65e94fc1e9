using System.Globalization;

namespace Migration.Simulator.Content;

/// <summary>
/// A number an answer states ("within {0} business days"): drawn between <paramref name="Min"/> and
/// <paramref name="Max"/> from the prompt, so every provider states the same value; <paramref name="Decimals"/>
/// scales the drawn integer (Min 15, Max 40, Decimals 1 = 1.5 to 4.0).
/// </summary>
/// <param name="Name">The key of the value in JSON answers (<c>refund_window_days</c>).</param>
internal sealed record Figure(string Name, int Min, int Max, int Decimals = 0)
{
    /// <summary>The value for a draw, as the answer writes it (invariant culture, fixed decimals).</summary>
    public string Format(int drawn) => Decimals == 0
        ? drawn.ToString(CultureInfo.InvariantCulture)
        : (drawn / Math.Pow(10, Decimals)).ToString("F" + Decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>The value as a JSON number.</summary>
    public double Value(int drawn) => Decimals == 0 ? drawn : drawn / Math.Pow(10, Decimals);

    /// <summary>A value in range for a draw of random bits.</summary>
    public int Draw(ulong bits) => Min + (int)(bits % (ulong)(Max - Min + 1));

    /// <summary>Another value than <paramref name="drawn"/>, as a weaker model would state it: never the same.</summary>
    public int Change(int drawn, ulong bits)
    {
        var span = Max - Min + 1;
        if (span < 2)
        {
            return drawn * 2 + 1;
        }

        var shift = 1 + (int)(bits % (ulong)(span - 1));
        return Min + ((drawn - Min + shift) % span);
    }
}
