namespace Migration.Core.Reporting;

/// <summary>
/// One-sided two-proportion test (Wald, unpooled) of "the candidate's match share is not below the primary's own
/// match share by more than a tolerance". The null hypothesis is non-inferiority (p_candidate &gt;= p_noise -
/// tolerance); the rule fails only when the data reject it at the significance level, so sampling noise alone never
/// fails a faithful candidate, while a clearly worse one fails once both sides have their minimum sample.
/// </summary>
public static class AgreementTest
{
    /// <summary>The one-sided p-value of the observed shortfall: small means "significantly worse than the noise floor".</summary>
    /// <param name="candidateMatches">Candidate rows judged a match.</param>
    /// <param name="candidateSamples">Candidate compared rows (&gt; 0).</param>
    /// <param name="noiseMatches">Noise rows judged a match.</param>
    /// <param name="noiseSamples">Noise compared rows (&gt; 0).</param>
    /// <param name="tolerance">Allowed shortfall in share points (0..1).</param>
    public static double PValue(long candidateMatches, long candidateSamples, long noiseMatches, long noiseSamples, double tolerance)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(candidateSamples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(noiseSamples);
        var pc = (double)candidateMatches / candidateSamples;
        var pn = (double)noiseMatches / noiseSamples;
        var shortfall = pc - (pn - tolerance);
        var se = Math.Sqrt((pc * (1 - pc) / candidateSamples) + (pn * (1 - pn) / noiseSamples));
        if (se < 1e-12)
        {
            // Both shares at 0 or 1: no spread, the observed difference is the answer.
            return shortfall < -1e-12 ? 0 : 1;
        }

        return NormalCdf(shortfall / se);
    }

    /// <summary>Standard normal CDF (Abramowitz and Stegun 7.1.26 for erf, absolute error below 1.5e-7).</summary>
    public static double NormalCdf(double z)
    {
        var x = Math.Abs(z) / Math.Sqrt(2);
        var t = 1 / (1 + (0.3275911 * x));
        var poly = t * (0.254829592 + (t * (-0.284496736 + (t * (1.421413741 + (t * (-1.453152027 + (t * 1.061405429))))))));
        var erf = 1 - (poly * Math.Exp(-x * x));
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }
}
