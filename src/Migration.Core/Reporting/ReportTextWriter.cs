using System.Globalization;
using System.Text;

namespace Migration.Core.Reporting;

/// <summary>Renders a <see cref="MigrationReport"/> as aligned plain text (the demo summary and <c>migrationctl report</c>).</summary>
public static class ReportTextWriter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The report as text, lines separated by '\n'.</summary>
    public static string Render(MigrationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var s = report.Shadow;
        var sb = new StringBuilder();
        sb.Append("Shadow test report").Append(report.Filter.Since is { } since ? $" since {since.ToString("u", Inv)}" : string.Empty)
          .Append(report.Filter.Model is { } m ? $" for model {m}" : string.Empty).Append('\n');
        sb.Append(Inv, $"  recommendation : {s.Recommendation}\n");
        foreach (var reason in s.Reasons)
        {
            sb.Append("    - ").Append(reason).Append('\n');
        }

        sb.Append(Inv, $"  requests       : {s.Total} mirrored, {s.Compared} compared, {s.Dropped} dropped\n");
        sb.Append(Inv, $"  match rate     : {Pct(s.MatchRate)}   latency diff (median, candidate - primary): {Ms(s.LatencyDiffMs)}\n");
        sb.Append(Inv, $"  verdicts       : exact {s.Verdicts.Exact}, equivalent {s.Verdicts.Equivalent}, similar {s.Verdicts.Similar}, different {s.Verdicts.Different}, error {s.Verdicts.Error}\n");
        sb.Append('\n');
        var rows = new List<string[]>
        {
            new[] { string.Empty, "success", "p50 ms", "p95 ms", "p99 ms", "ttft p50", "ttft p95", "1st byte p95", "tokens in/out", "cost USD" },
            Row("primary", s.Primary),
            Row("candidate", s.Candidate),
        };
        AppendTable(sb, rows, "  ");
        sb.Append('\n');
        sb.Append(Inv, $"  cost           : primary ${report.Cost.PrimaryUsd:0.######}, candidate ${report.Cost.CandidateUsd:0.######}, savings {(report.Cost.SavingsPercent is { } p ? p.ToString("0.0", Inv) + " %" : "n/a")}\n");
        if (s.ByModel.Count > 0)
        {
            sb.Append('\n');
            var byModel = new List<string[]> { new[] { "model", "candidate model", "mirrored", "compared", "match", "primary p95", "candidate p95", "candidate success" } };
            byModel.AddRange(s.ByModel.Select(x => new[]
            {
                x.Model, x.CandidateModel, x.Total.ToString(Inv), x.Compared.ToString(Inv), Pct(x.MatchRate),
                Ms(x.Primary.LatencyMs.P95), Ms(x.Candidate.LatencyMs.P95), Pct(x.Candidate.SuccessRate),
            }));
            AppendTable(sb, byModel, "  ");
        }

        if (report.Canary is { } canary)
        {
            sb.Append('\n');
            sb.Append(Inv, $"  canary         : {canary.State} at {canary.Weight:0.##} %{(canary.Step is { } step ? $" (step {step})" : string.Empty)}\n");
            if (canary.LastDecision is { } last)
            {
                sb.Append(Inv, $"  last decision  : {last.Kind} by {last.Actor} at {last.Time.ToString("u", Inv)}: {last.Reason}\n");
            }
        }

        if (report.Fallbacks is { } fallbacks)
        {
            AppendFallbacks(sb, fallbacks);
        }

        if (report.Providers is { } providers)
        {
            AppendProviders(sb, providers);
        }

        return sb.ToString();
    }

    /// <summary>The "Fallback models" part: what the chains on the candidate did and cost.</summary>
    private static void AppendFallbacks(StringBuilder sb, FallbackReport f)
    {
        sb.Append('\n');
        sb.Append(Inv, $"  fallback models: {f.Requests} request(s) with a chain, {f.ServedByFallback} served by a fallback model, {f.FellBackToPrimary} fell back to the primary, attempts cost ${f.CostUsd:0.######}\n");
        var rows = new List<string[]> { new[] { "requested", "model", "attempts", "served", "next model", "retried", "fell back", "broke off", "avg ms", "cost USD" } };
        rows.AddRange(f.Models.Select(x => new[]
        {
            x.RequestedModel, x.Model, x.Attempts.ToString(Inv), x.Served.ToString(Inv), x.NextModel.ToString(Inv), x.Retried.ToString(Inv),
            x.FellBack.ToString(Inv), x.FailedAfterCommit.ToString(Inv), Ms(x.AverageLatencyMs), x.CostUsd.ToString("0.######", Inv),
        }));
        AppendTable(sb, rows, "  ");
    }

    /// <summary>The "Providers" part: last recorded health and route (live state: <c>GET /migration/status</c>).</summary>
    private static void AppendProviders(StringBuilder sb, ProvidersReport p)
    {
        sb.Append('\n');
        if (p.AsOf is not { } asOf)
        {
            sb.Append("  providers      : ").Append(p.Note ?? ProvidersReport.NoEventsNote).Append('\n');
            return;
        }

        sb.Append(Inv, $"  providers      : as recorded at {asOf.ToString("u", Inv)}{(p.Instance is { } i ? $" by {i}" : string.Empty)} (live state: GET /migration/status)\n");
        if (p.Failover is { } f)
        {
            var since = f.Since is { } t ? $" since {t.ToString("u", Inv)}" : string.Empty;
            sb.Append("  failover       : ").Append(f.Active ? "ACTIVE, primary-arm traffic on the candidate" : "inactive").Append(since)
              .Append(f.Reason is { } r ? ": " + r : string.Empty).Append('\n');
        }

        var more = p.Truncated ? "+" : string.Empty;
        sb.Append(Inv, $"  health events  : {p.Switches}{more} switch(es), {p.StatusChanges}{more} status change(s) in the report's window\n");
        var rows = new List<string[]> { new[] { string.Empty, "name", "status", "since", "failures in a row", "success", "avg latency ms", "last error" } };
        rows.AddRange(p.Providers.Select(x => new[]
        {
            x.Role, x.Name, x.Status, x.Since is { } s ? s.ToString("u", Inv) : "n/a", x.ConsecutiveFailures.ToString(Inv), Pct(x.SuccessRate), Ms(x.AverageLatencyMs), x.LastError ?? "-",
        }));
        AppendTable(sb, rows, "  ");
    }

    /// <summary>Writes <paramref name="rows"/> as left-aligned columns (first row is the header).</summary>
    public static void AppendTable(StringBuilder sb, IReadOnlyList<string[]> rows, string indent = "")
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        var widths = new int[rows.Max(r => r.Length)];
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        foreach (var row in rows)
        {
            sb.Append(indent);
            for (var i = 0; i < row.Length; i++)
            {
                sb.Append(row[i].PadRight(i == row.Length - 1 ? 0 : widths[i] + 2));
            }

            sb.Append('\n');
        }
    }

    private static string[] Row(string name, ArmStats a) =>
    [
        name, Pct(a.SuccessRate), Ms(a.LatencyMs.P50), Ms(a.LatencyMs.P95), Ms(a.LatencyMs.P99), Ms(a.TtftMs.P50), Ms(a.TtftMs.P95), Ms(a.FirstByteMs?.P95),
        $"{a.TokensIn.ToString(Inv)}/{a.TokensOut.ToString(Inv)}", a.CostUsd.ToString("0.######", Inv),
    ];

    private static string Pct(double? v) => v is { } x ? (x * 100).ToString("0.0", Inv) + " %" : "n/a";

    private static string Ms(double? v) => v is { } x ? x.ToString("0.0", Inv) : "n/a";
}
