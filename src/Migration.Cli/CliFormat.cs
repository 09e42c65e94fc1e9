using System.Globalization;
using System.Text;
using Migration.Core.Canary;
using Migration.Core.Reporting;

namespace Migration.Cli;

/// <summary>Human output helpers: invariant culture, aligned tables through <see cref="ReportTextWriter.AppendTable"/>.</summary>
internal static class CliFormat
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Table(IReadOnlyList<string[]> rows, string indent = "")
    {
        var sb = new StringBuilder();
        ReportTextWriter.AppendTable(sb, rows, indent);
        return sb.ToString();
    }

    public static string Time(DateTimeOffset? time) => time is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", Inv) : "-";

    public static string Age(DateTimeOffset? time, DateTimeOffset now)
    {
        if (time is not { } t)
        {
            return "never";
        }

        var age = now - t;
        if (age < TimeSpan.Zero)
        {
            return "in the future (clock skew?)";
        }

        return age.TotalSeconds < 60 ? ((int)age.TotalSeconds).ToString(Inv) + "s ago"
            : age.TotalMinutes < 60 ? string.Create(Inv, $"{(int)age.TotalMinutes}m {age.Seconds}s ago")
            : age.TotalHours < 24 ? string.Create(Inv, $"{(int)age.TotalHours}h {age.Minutes}m ago")
            : string.Create(Inv, $"{(int)age.TotalDays}d {age.Hours}h ago");
    }

    public static string Weight(double weight) => weight.ToString("0.##", Inv) + " %";

    public static string Pct(double rate) => (rate * 100).ToString("0.0#", Inv) + " %";

    public static string Number(double value) => value.ToString("0.####", Inv);

    public static string Step(CanaryState state, IReadOnlyList<double> steps) =>
        state.StepIndex >= 0 ? string.Create(Inv, $"{state.StepIndex + 1} of {steps.Count}") : "-";

    public static string Metrics(CanaryMetrics m)
    {
        var text = string.Create(
            Inv,
            $"canary {m.CanaryRequests} req, errors {Pct(m.CanaryErrorRate)}, success {Pct(m.CanarySuccessRate)}, p99 {m.CanaryP99Ms:0.#} ms, fallbacks {m.CanaryFallbacks}; " +
            $"primary {m.PrimaryRequests} req, errors {Pct(m.PrimaryErrorRate)}, p99 {m.PrimaryP99Ms:0.#} ms; held {m.HeldSeconds:0}s");
        return m.Trips.Count > 0 ? text + "; tripped: " + string.Join(", ", m.Trips) : text;
    }

    public static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
