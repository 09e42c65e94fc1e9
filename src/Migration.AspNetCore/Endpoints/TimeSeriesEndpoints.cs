using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Migration.Core.Reporting;

namespace Migration.AspNetCore.Endpoints;

/// <summary><c>GET /migration/timeseries</c>: the stored traffic per slot and arm, the canary weight and its events.</summary>
internal static partial class TimeSeriesEndpoints
{
    /// <summary>
    /// <c>since</c> (15m, 1h, 6h, 24h or an ISO time; default 1h), <c>step</c> (10s, 1m...; default about 720
    /// points), <c>model</c>, <c>format</c> (<c>columns</c>, the default, or <c>grafana</c>: a list of
    /// <c>{target, datapoints: [[value, unixMs]]}</c> as Grafana's JSON data sources read it).
    /// </summary>
    public static async Task<IResult> GetAsync(
        string? since,
        string? step,
        string? model,
        string? format,
        TimeSeriesBuilder builder,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var grafana = string.Equals(format, "grafana", StringComparison.OrdinalIgnoreCase);
        var formatKnown = format is null || grafana || string.Equals(format, "columns", StringComparison.OrdinalIgnoreCase);
        if (!TimeSeriesQuery.TryParse(since, step, model, time.GetUtcNow(), out var query, out var errors) || !formatKnown)
        {
            var all = new Dictionary<string, string[]>(errors);
            if (!formatKnown)
            {
                all["format"] = [$"must be 'columns' or 'grafana' (got '{format}')"];
            }

            return Results.ValidationProblem(all, title: "Invalid time series query");
        }

        try
        {
            var series = await builder.BuildAsync(query!, cancellationToken).ConfigureAwait(false);
            return grafana ? Results.Json(GrafanaSeries(series), MigrationEndpoints.JsonOptions) : Results.Json(series, MigrationEndpoints.JsonOptions);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.Failed(loggers.CreateLogger(typeof(TimeSeriesEndpoints)), ex);
            return Results.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Time series unavailable",
                detail: "The storage could not be queried; see the server log.");
        }
    }

    /// <summary>The series as Grafana's JSON data sources take them: one target per arm and figure, plus the canary weight.</summary>
    internal static IReadOnlyList<GrafanaTarget> GrafanaSeries(TimeSeries series)
    {
        var ms = series.Time.Select(t => t * 1000).ToArray();
        var targets = new List<GrafanaTarget>();
        foreach (var (arm, s) in series.Arms)
        {
            targets.Add(Target($"{arm} requests/s", s.RequestsPerSecond.Select(v => (double?)v).ToList(), ms));
            targets.Add(Target($"{arm} error rate", s.ErrorRate, ms));
            targets.Add(Target($"{arm} latency p50 ms", s.LatencyP50Ms, ms));
            targets.Add(Target($"{arm} latency p95 ms", s.LatencyP95Ms, ms));
            targets.Add(Target($"{arm} latency p99 ms", s.LatencyP99Ms, ms));
        }

        if (series.Canary is { } canary)
        {
            targets.Add(Target("canary weight %", canary.Weight.Select(v => (double?)v).ToList(), ms));
        }

        return targets;
    }

    private static GrafanaTarget Target(string name, IReadOnlyList<double?> values, long[] ms) =>
        new(name, [.. values.Select((v, i) => new double?[] { v, ms[i] })]);

    internal sealed record GrafanaTarget(string Target, IReadOnlyList<double?[]> Datapoints);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1411, EventName = "TimeSeriesFailed", Level = LogLevel.Error, Message = "Building the migration time series failed.")]
        public static partial void Failed(ILogger logger, Exception exception);
    }
}
