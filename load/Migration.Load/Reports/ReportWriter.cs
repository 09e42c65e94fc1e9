using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Migration.Load.Reports;

/// <summary>Writes <c>&lt;dir&gt;/&lt;scenario&gt;.json</c> and <c>&lt;dir&gt;/&lt;scenario&gt;.md</c>.</summary>
internal static class ReportWriter
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string ToJson(ScenarioReport report) => JsonSerializer.Serialize(report, JsonOptions);

    public static async Task<(string JsonPath, string MarkdownPath)> WriteAsync(ScenarioReport report, string directory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(directory);
        var json = Path.Combine(directory, report.Scenario + ".json");
        var md = Path.Combine(directory, report.Scenario + ".md");
        await File.WriteAllTextAsync(json, ToJson(report) + Environment.NewLine, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(md, ToMarkdown(report), cancellationToken).ConfigureAwait(false);
        return (json, md);
    }

    public static string ToMarkdown(ScenarioReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"# Load scenario `{report.Scenario}`").AppendLine().AppendLine();
        if (report.Status != "ok")
        {
            sb.Append(CultureInfo.InvariantCulture, $"**Status: {report.Status}**").AppendLine().AppendLine();
        }

        if (report.Config.Count > 0)
        {
            sb.AppendLine("| setting | value |").AppendLine("|---|---|");
            foreach (var (key, value) in report.Config)
            {
                sb.Append(CultureInfo.InvariantCulture, $"| {key} | {Format(value)} |").AppendLine();
            }

            sb.AppendLine();
        }

        if (report.Arms.Count > 0)
        {
            var anyTtft = report.Arms.Values.Any(a => a.TtftMs is not null);
            var anyWs = report.Arms.Values.Any(a => a.WorkingSetMb is not null);
            sb.Append("| arm | rps | ok | fail | p50 ms | p90 ms | p99 ms | max ms |");
            sb.Append(anyTtft ? " TTFT p50 ms | TTFT p99 ms |" : "");
            sb.Append(anyWs ? " working set MB |" : "");
            sb.AppendLine(" rounds | spread p50 / p99 ms |");
            sb.Append("|---|---:|---:|---:|---:|---:|---:|---:|");
            sb.Append(anyTtft ? "---:|---:|" : "");
            sb.Append(anyWs ? "---:|" : "");
            sb.AppendLine("---:|---|");
            foreach (var (name, arm) in report.Arms)
            {
                var l = arm.LatencyMs;
                sb.Append(CultureInfo.InvariantCulture, $"| {name} | {arm.Rps:0.0} | {arm.Ok} | {arm.Fail} | {l.P50:0.00} | {l.P90:0.00} | {l.P99:0.00} | {l.Max:0.00} |");
                if (anyTtft)
                {
                    sb.Append(CultureInfo.InvariantCulture, $" {arm.TtftMs?.P50:0.00} | {arm.TtftMs?.P99:0.00} |");
                }

                if (anyWs)
                {
                    sb.Append(CultureInfo.InvariantCulture, $" {arm.WorkingSetMb:0.0} |");
                }

                var spread = arm.Spread is { } s
                    ? string.Create(CultureInfo.InvariantCulture, $"{s.P50[0]:0.00}..{s.P50[1]:0.00} / {s.P99[0]:0.00}..{s.P99[1]:0.00}")
                    : "";
                sb.Append(CultureInfo.InvariantCulture, $" {arm.Rounds} | {spread} |").AppendLine();
            }

            sb.AppendLine();
            foreach (var (name, arm) in report.Arms.Where(a => a.Value.Failures is not null || a.Value.Extra is not null))
            {
                var parts = new List<string>();
                if (arm.Failures is not null)
                {
                    parts.Add("failures: " + string.Join(", ", arm.Failures.Select(f => $"{f.Key} {f.Value}")));
                }

                if (arm.Extra is not null)
                {
                    parts.AddRange(arm.Extra.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Key} {e.Value:0.###}")));
                }

                sb.Append(CultureInfo.InvariantCulture, $"- **{name}**: {string.Join("; ", parts)}").AppendLine();
            }

            sb.AppendLine();
        }

        if (report.Ratios.Count > 0)
        {
            sb.AppendLine("| ratio | value |").AppendLine("|---|---:|");
            foreach (var (name, value) in report.Ratios)
            {
                sb.Append(CultureInfo.InvariantCulture, $"| {name} | {value:0.000} |").AppendLine();
            }

            sb.AppendLine();
        }

        if (report.Goals.Count > 0)
        {
            sb.AppendLine("| goal | value | target | met |").AppendLine("|---|---:|---|---|");
            foreach (var goal in report.Goals)
            {
                var met = goal.Met switch { true => "yes", false => "**no**", null => "not run" };
                var value = goal.Value is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "-";
                sb.Append(CultureInfo.InvariantCulture, $"| {goal.Name} | {value} | {goal.Target} | {met} |").AppendLine();
            }

            sb.AppendLine();
        }

        foreach (var note in report.Notes ?? [])
        {
            sb.Append("- ").AppendLine(note);
        }

        return sb.ToString();
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        double d => d.ToString("0.###", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
