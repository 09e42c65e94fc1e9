namespace Migration.Simulator.Randomness;

/// <summary>
/// A log-normal distribution fitted from a median and a 99th percentile:
/// mu = ln(median), sigma = (ln(p99) - ln(median)) / z(0.99), z(0.99) = 2.3263.
/// A median of 0 means "no delay"; p99 equal to the median means a constant.
/// </summary>
internal sealed class LogNormalDistribution
{
    /// <summary>The standard normal quantile at 0.99.</summary>
    public const double Z99 = 2.3263478740408408;

    // A draw is capped so one unlucky sample cannot stall a test or a demo for minutes.
    private const double TailCapFactor = 10.0;

    private readonly double _mu;
    private readonly double _sigma;
    private readonly double _cap;

    public LogNormalDistribution(double medianMs, double p99Ms)
    {
        if (double.IsNaN(medianMs) || medianMs < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(medianMs), medianMs, "The median must be 0 or more.");
        }

        if (double.IsNaN(p99Ms) || (medianMs > 0 && p99Ms < medianMs))
        {
            throw new ArgumentOutOfRangeException(nameof(p99Ms), p99Ms, "The p99 must be at least the median.");
        }

        MedianMs = medianMs;
        P99Ms = Math.Max(medianMs, p99Ms);
        if (medianMs > 0)
        {
            _mu = Math.Log(medianMs);
            _sigma = (Math.Log(P99Ms) - _mu) / Z99;
            _cap = P99Ms * TailCapFactor;
        }
    }

    public static LogNormalDistribution Zero { get; } = new(0, 0);

    public double MedianMs { get; }

    public double P99Ms { get; }

    public double Mu => _mu;

    public double Sigma => _sigma;

    public bool IsZero => MedianMs <= 0;

    /// <summary>Draws one value in milliseconds.</summary>
    public double Sample(ref SplitMix64 random)
    {
        if (IsZero)
        {
            return 0;
        }

        if (_sigma == 0)
        {
            return MedianMs;
        }

        var value = Math.Exp(_mu + (_sigma * random.NextGaussian()));
        return Math.Min(value, _cap);
    }
}
