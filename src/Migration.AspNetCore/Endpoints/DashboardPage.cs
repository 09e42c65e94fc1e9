using System.Globalization;
using System.Net;
using System.Text;
using Migration.AspNetCore.Health;
using Migration.Core.Health;
using Migration.Core.Reporting;

namespace Migration.AspNetCore.Endpoints;

/// <summary>
/// The dashboard: one self-contained HTML page (inline CSS and SVG, no script or asset from elsewhere) that puts
/// the recommendation and its reasons first, then the evidence: both sides, verdicts, cost and each model.
/// </summary>
internal static class DashboardPage
{
    private const string Style = """
        body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
        main{max-width:1280px;margin:0 auto;padding:24px}
        h1{font-size:20px;margin:0 0 4px} h2{font-size:16px;margin:28px 0 8px}
        .muted{color:#667085} .card{background:#fff;border:1px solid #e4e7ec;border-radius:8px;padding:16px}
        .verdict{display:flex;gap:16px;align-items:center;border-left:8px solid var(--c)}
        .badge{font-weight:700;font-size:22px;color:var(--c)}
        .READY{--c:#12805c} .NEEDS_TUNING{--c:#b54708} .INSUFFICIENT_DATA{--c:#475467}
        ul.reasons{margin:8px 0 0;padding-left:18px}
        .scroll{overflow-x:auto} table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #e4e7ec;border-radius:8px}
        th,td{padding:6px 8px;border-bottom:1px solid #eef0f3;text-align:right;white-space:nowrap}
        th:first-child,td:first-child{text-align:left} th{background:#f9fafb;font-weight:600}
        .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(180px,1fr));gap:12px}
        .num{font-size:22px;font-weight:600} .legend span{margin-right:14px}
        .sw{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px}
        """;

    private static readonly (string Name, string Color)[] VerdictColors =
    [
        ("exact", "#12805c"), ("equivalent", "#32d583"), ("similar", "#fdb022"), ("different", "#f04438"), ("error", "#667085"),
    ];

    public static string Render(
        MigrationReport report,
        string instance,
        string candidateName,
        (ProviderHealthSnapshot Primary, ProviderHealthSnapshot Candidate)? providers = null,
        bool failoverActive = false)
    {
        ArgumentNullException.ThrowIfNull(report);
        var shadow = report.Shadow;
        var html = new StringBuilder(16 * 1024);
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
            .Append("<title>Migration readiness: ").Append(E(shadow.Recommendation)).Append("</title><style>").Append(Style).Append("</style></head><body><main>");
        html.Append("<h1>Migration to ").Append(E(candidateName)).Append("</h1><div class=\"muted\">Generated ")
            .Append(E(report.GeneratedAt.ToString("u", CultureInfo.InvariantCulture))).Append(" by ").Append(E(instance))
            .Append(" &middot; rows ").Append(E(Time(shadow.FirstAt))).Append(" &ndash; ").Append(E(Time(shadow.LastAt)));
        if (report.Filter.Since is { } since)
        {
            html.Append(" &middot; since ").Append(E(since.ToString("u", CultureInfo.InvariantCulture)));
        }

        if (report.Filter.Model is { } model)
        {
            html.Append(" &middot; model ").Append(E(model));
        }

        html.Append("</div>");

        html.Append("<h2>Recommendation</h2><div class=\"card verdict ").Append(E(shadow.Recommendation)).Append("\"><div class=\"badge\" id=\"recommendation\">")
            .Append(E(shadow.Recommendation.Replace('_', ' '))).Append("</div><div><ul class=\"reasons\">");
        foreach (var reason in shadow.Reasons)
        {
            html.Append("<li>").Append(E(reason)).Append("</li>");
        }

        html.Append("</ul></div></div>");

        if (report.Canary is { } canary)
        {
            Canary(html, canary);
        }

        if (providers is { } health)
        {
            Providers(html, health.Primary, health.Candidate, failoverActive);
        }

        if (report.Providers is { } recorded)
        {
            RecordedProviders(html, recorded);
        }

        if (report.Fallbacks is { } fallbacks)
        {
            Fallbacks(html, fallbacks);
        }

        html.Append("<h2>Overview</h2><div class=\"grid\">");
        Tile(html, "Mirrored", N(shadow.Total));
        Tile(html, "Compared", N(shadow.Compared));
        Tile(html, "Dropped", N(shadow.Dropped));
        Tile(html, "Match rate", Pct(shadow.MatchRate));
        Tile(html, "Median latency difference", Ms(shadow.LatencyDiffMs));
        Tile(html, "Cost savings", report.Cost.SavingsPercent is { } s ? s.ToString("0.0", CultureInfo.InvariantCulture) + " %" : "–");
        html.Append("</div>");

        html.Append("<h2>Primary versus candidate</h2><div class=\"scroll\"><table><tr><th></th><th>Requests</th><th>Success</th><th>Latency p50</th><th>p95</th><th>p99</th>")
            .Append("<th>TTFT p50</th><th>p95</th><th>p99</th><th>Tokens in</th><th>Tokens out</th><th>Cost (USD)</th></tr>");
        ArmRow(html, "Primary", shadow.Primary);
        ArmRow(html, "Candidate", shadow.Candidate);
        html.Append("</table></div>");

        html.Append("<h2>Verdicts</h2><div class=\"card\">");
        VerdictBar(html, shadow.Verdicts);
        html.Append("</div>");

        html.Append("<h2>Cost</h2><table><tr><th>Side</th><th>USD</th></tr><tr><td>Primary</td><td>").Append(Usd(report.Cost.PrimaryUsd))
            .Append("</td></tr><tr><td>Candidate</td><td>").Append(Usd(report.Cost.CandidateUsd)).Append("</td></tr><tr><td>Savings</td><td>")
            .Append(report.Cost.SavingsPercent is { } savings ? savings.ToString("0.0", CultureInfo.InvariantCulture) + " %" : "–").Append("</td></tr></table>");

        html.Append("<h2>Per model</h2><div class=\"scroll\"><table><tr><th>Model</th><th>Candidate model</th><th>Mirrored</th><th>Compared</th><th>Match</th>")
            .Append("<th>Exact</th><th>Equiv.</th><th>Similar</th><th>Different</th><th>Error</th><th>p95 primary</th><th>p95 candidate</th><th>Cost primary</th><th>Cost candidate</th></tr>");
        foreach (var m in shadow.ByModel)
        {
            html.Append("<tr><td>").Append(E(m.Model)).Append("</td><td>").Append(E(m.CandidateModel)).Append("</td><td>").Append(N(m.Total))
                .Append("</td><td>").Append(N(m.Compared)).Append("</td><td>").Append(Pct(m.MatchRate)).Append("</td><td>").Append(N(m.Verdicts.Exact))
                .Append("</td><td>").Append(N(m.Verdicts.Equivalent)).Append("</td><td>").Append(N(m.Verdicts.Similar)).Append("</td><td>")
                .Append(N(m.Verdicts.Different)).Append("</td><td>").Append(N(m.Verdicts.Error)).Append("</td><td>").Append(Ms(m.Primary.LatencyMs.P95))
                .Append("</td><td>").Append(Ms(m.Candidate.LatencyMs.P95)).Append("</td><td>").Append(Usd(m.Primary.CostUsd)).Append("</td><td>")
                .Append(Usd(m.Candidate.CostUsd)).Append("</td></tr>");
        }

        if (shadow.ByModel.Count == 0)
        {
            html.Append("<tr><td colspan=\"14\" class=\"muted\">No shadow results yet.</td></tr>");
        }

        html.Append("</table></div><p class=\"muted\">The same figures as JSON: <code>GET report</code>. Readiness rules: configuration section <code>Migration:Readiness</code>.</p></main></body></html>");
        return html.ToString();
    }

    /// <summary>The page served without a key: asks for it, then loads the dashboard with it (kept for this tab only).</summary>
    public static string KeyPrompt() => """
        <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Migration dashboard: key required</title>
        <style>body{font:14px system-ui,sans-serif;background:#f6f7f9;display:grid;place-items:center;height:100vh;margin:0}
        form{background:#fff;border:1px solid #e4e7ec;border-radius:8px;padding:24px;display:flex;gap:8px}
        input{padding:6px 8px;min-width:280px} p{color:#b42318}</style></head><body>
        <form id="f"><input id="k" type="password" placeholder="Admin key (X-Migration-Key)" autocomplete="off" autofocus><button>Open</button></form>
        <script>
        async function load(key){const r=await fetch(location.href,{headers:{'X-Migration-Key':key}});
          if(r.ok){sessionStorage.setItem('migrationKey',key);const t=await r.text();document.open();document.write(t);document.close();}
          else{sessionStorage.removeItem('migrationKey');document.getElementById('f').insertAdjacentHTML('afterend','<p>The key was not accepted.</p>');}}
        document.getElementById('f').addEventListener('submit',e=>{e.preventDefault();load(document.getElementById('k').value);});
        const saved=sessionStorage.getItem('migrationKey');if(saved){load(saved);}
        </script></body></html>
        """;

    private static void Providers(StringBuilder html, ProviderHealthSnapshot primary, ProviderHealthSnapshot candidate, bool failoverActive)
    {
        html.Append("<h2>Providers</h2><div class=\"card\" id=\"providers\">")
            .Append(failoverActive ? "Failover active: primary-arm traffic is served by the candidate." : "No failover: the primary serves its traffic.")
            .Append("</div><div class=\"scroll\"><table><tr><th>Role</th><th>Name</th><th>Status</th><th>Consecutive failures</th><th>Success rate</th><th>Avg latency</th></tr>");
        foreach (var (role, s) in new[] { ("primary", primary), ("candidate", candidate) })
        {
            html.Append("<tr><td>").Append(role).Append("</td><td>").Append(E(s.Name)).Append("</td><td>").Append(E(HealthNames.Status(s.Status)))
                .Append("</td><td>").Append(s.ConsecutiveFailures.ToString(CultureInfo.InvariantCulture))
                .Append("</td><td>").Append(Pct(s.SuccessRate))
                .Append("</td><td>").Append(Ms(s.AverageLatency?.TotalMilliseconds)).Append("</td></tr>");
        }

        html.Append("</table></div>");
    }

    /// <summary>The report's providers section: health and route as last recorded in the health events.</summary>
    private static void RecordedProviders(StringBuilder html, ProvidersReport p)
    {
        html.Append("<h2>Provider health as recorded</h2><div class=\"card\" id=\"recorded-providers\">");
        if (p.AsOf is not { } asOf)
        {
            html.Append("<span class=\"muted\">").Append(E(p.Note ?? ProvidersReport.NoEventsNote)).Append("</span></div>");
            return;
        }

        html.Append("As of ").Append(E(Time(asOf))).Append(p.Instance is { } i ? " (" + E(i) + ")" : string.Empty).Append(": ");
        html.Append(p.Failover switch
        {
            { Active: true } f => "failover active" + (f.Since is { } t ? " since " + E(Time(t)) : string.Empty),
            { } => "no failover",
            null => "route not recorded",
        });
        var more = p.Truncated ? "+" : string.Empty;
        html.Append(CultureInfo.InvariantCulture, $"; {p.Switches}{more} switch(es), {p.StatusChanges}{more} status change(s) in this report's window.");
        if (p.Failover?.Reason is { } reason)
        {
            html.Append("<div class=\"muted\">").Append(E(reason)).Append("</div>");
        }

        html.Append("<div class=\"muted\">Recorded events, not the live state (that is above and on <code>GET status</code>).</div></div>")
            .Append("<div class=\"scroll\"><table><tr><th>Role</th><th>Name</th><th>Status</th><th>Since</th><th>Consecutive failures</th><th>Success rate</th><th>Avg latency</th><th>Last error</th></tr>");
        foreach (var x in p.Providers)
        {
            html.Append("<tr><td>").Append(E(x.Role)).Append("</td><td>").Append(E(x.Name)).Append("</td><td>").Append(E(x.Status))
                .Append("</td><td>").Append(E(Time(x.Since))).Append("</td><td>").Append(x.ConsecutiveFailures.ToString(CultureInfo.InvariantCulture))
                .Append("</td><td>").Append(Pct(x.SuccessRate)).Append("</td><td>").Append(Ms(x.AverageLatencyMs))
                .Append("</td><td style=\"text-align:left;white-space:normal\">").Append(E(x.LastError ?? "–")).Append("</td></tr>");
        }

        html.Append("</table></div>");
    }

    /// <summary>The report's fallback section: what the model chains on the candidate did and cost.</summary>
    private static void Fallbacks(StringBuilder html, FallbackReport f)
    {
        html.Append("<h2>Fallback models on the candidate</h2><div class=\"card\" id=\"fallbacks\">")
            .Append(N(f.Requests)).Append(" request(s) with a chain: ").Append(N(f.ServedByFallback)).Append(" served by a fallback model, ")
            .Append(N(f.FellBackToPrimary)).Append(" fell back to the primary; attempts cost $").Append(Usd(f.CostUsd)).Append(".</div>")
            .Append("<div class=\"scroll\"><table><tr><th>Requested</th><th>Model</th><th>Attempts</th><th>Served</th><th>Next model</th><th>Retried</th>")
            .Append("<th>Fell back</th><th>Broke off</th><th>Avg latency</th><th>Cost (USD)</th></tr>");
        foreach (var x in f.Models)
        {
            html.Append("<tr><td>").Append(E(x.RequestedModel)).Append("</td><td>").Append(E(x.Model)).Append("</td><td>").Append(N(x.Attempts))
                .Append("</td><td>").Append(N(x.Served)).Append("</td><td>").Append(N(x.NextModel)).Append("</td><td>").Append(N(x.Retried))
                .Append("</td><td>").Append(N(x.FellBack)).Append("</td><td>").Append(N(x.FailedAfterCommit)).Append("</td><td>").Append(Ms(x.AverageLatencyMs))
                .Append("</td><td>").Append(Usd(x.CostUsd)).Append("</td></tr>");
        }

        html.Append("</table></div>");
    }

    private static void Canary(StringBuilder html, CanaryReport canary)
    {
        html.Append("<h2>Canary</h2><div class=\"grid\" id=\"canary\">");
        Tile(html, "State", canary.State.Replace('_', ' '));
        Tile(html, "Live weight on the candidate", canary.Weight.ToString("0.##", CultureInfo.InvariantCulture) + " %");
        Tile(html, "Step", canary.Step?.ToString(CultureInfo.InvariantCulture) ?? "–");
        Tile(html, "Last decision", canary.LastDecision is { } d ? d.Kind.Replace('_', ' ') + " by " + d.Actor : "–");
        html.Append("</div>");
        if (canary.LastDecision is { } last)
        {
            html.Append("<div class=\"card muted\">").Append(E(Time(last.Time))).Append(": ").Append(E(last.Reason)).Append("</div>");
        }

        if (canary.Events.Count > 0)
        {
            html.Append("<div class=\"scroll\"><table><tr><th>Time</th><th>From</th><th>To</th><th>Actor</th><th style=\"text-align:left\">Reason</th></tr>");
            foreach (var e in canary.Events.Take(20))
            {
                html.Append("<tr><td>").Append(E(Time(e.Time))).Append("</td><td>")
                    .Append(E(e.FromState)).Append(' ').Append(E(e.FromWeight.ToString("0.##", CultureInfo.InvariantCulture))).Append(" %</td><td>")
                    .Append(E(e.ToState)).Append(' ').Append(E(e.ToWeight.ToString("0.##", CultureInfo.InvariantCulture))).Append(" %</td><td>")
                    .Append(E(e.Actor)).Append("</td><td style=\"text-align:left;white-space:normal\">").Append(E(e.Reason)).Append("</td></tr>");
            }

            html.Append("</table></div>");
        }
    }

    private static void Tile(StringBuilder html, string label, string value) =>
        html.Append("<div class=\"card\"><div class=\"muted\">").Append(E(label)).Append("</div><div class=\"num\">").Append(E(value)).Append("</div></div>");

    private static void ArmRow(StringBuilder html, string name, ArmStats arm) =>
        html.Append("<tr><td>").Append(name).Append("</td><td>").Append(N(arm.Requests)).Append("</td><td>").Append(Pct(arm.SuccessRate))
            .Append("</td><td>").Append(Ms(arm.LatencyMs.P50)).Append("</td><td>").Append(Ms(arm.LatencyMs.P95)).Append("</td><td>").Append(Ms(arm.LatencyMs.P99))
            .Append("</td><td>").Append(Ms(arm.TtftMs.P50)).Append("</td><td>").Append(Ms(arm.TtftMs.P95)).Append("</td><td>").Append(Ms(arm.TtftMs.P99))
            .Append("</td><td>").Append(N(arm.TokensIn)).Append("</td><td>").Append(N(arm.TokensOut)).Append("</td><td>").Append(Usd(arm.CostUsd)).Append("</td></tr>");

    private static void VerdictBar(StringBuilder html, VerdictCounts verdicts)
    {
        long[] counts = [verdicts.Exact, verdicts.Equivalent, verdicts.Similar, verdicts.Different, verdicts.Error];
        var total = counts.Sum();
        html.Append("<svg width=\"100%\" height=\"28\" viewBox=\"0 0 1000 28\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"verdicts\">");
        double x = 0;
        for (var i = 0; i < counts.Length && total > 0; i++)
        {
            var width = counts[i] * 1000.0 / total;
            html.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.##}\" y=\"0\" width=\"{width:0.##}\" height=\"28\" fill=\"{VerdictColors[i].Color}\"><title>{VerdictColors[i].Name}: {counts[i]}</title></rect>");
            x += width;
        }

        if (total == 0)
        {
            html.Append("<rect x=\"0\" y=\"0\" width=\"1000\" height=\"28\" fill=\"#eaecf0\"/>");
        }

        html.Append("</svg><div class=\"legend\">");
        for (var i = 0; i < counts.Length; i++)
        {
            html.Append("<span><i class=\"sw\" style=\"background:").Append(VerdictColors[i].Color).Append("\"></i>").Append(VerdictColors[i].Name)
                .Append(' ').Append(N(counts[i])).Append(total > 0 ? $" ({(counts[i] * 100.0 / total).ToString("0.0", CultureInfo.InvariantCulture)} %)" : string.Empty)
                .Append("</span>");
        }

        html.Append("</div>");
    }

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    private static string N(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    private static string Pct(double? value) => value is { } v ? (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %" : "–";

    private static string Ms(double? value) => value is { } v
        ? v.ToString(Math.Abs(v) >= 100 ? "#,0" : "0.0", CultureInfo.InvariantCulture) + " ms"
        : "–";

    private static string Usd(decimal value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset? value) => value?.ToString("u", CultureInfo.InvariantCulture) ?? "–";
}
