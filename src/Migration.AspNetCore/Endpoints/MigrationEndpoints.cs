using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Migration.AspNetCore.Canary;
using Migration.AspNetCore.Configuration;
using Migration.AspNetCore.Health;
using Migration.AspNetCore.Routing;
using Migration.AspNetCore.Shadow;
using Migration.AspNetCore.Telemetry;
using Migration.Core.Canary;
using Migration.Core.Reporting;
using Migration.Core.Storage;

namespace Migration.AspNetCore.Endpoints;

/// <summary>Handlers of the admin and report endpoints.</summary>
internal static partial class MigrationEndpoints
{
    /// <summary>The report's JSON settings (shared with <c>migrationctl</c>).</summary>
    internal static JsonSerializerOptions JsonOptions => ReportJson.Options;

    public static async Task<IResult> GetReportAsync(
        string? since,
        string? model,
        ReportBuilder builder,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        if (!TryFilter(since, model, time, out var filter, out var problem))
        {
            return problem;
        }

        try
        {
            var report = await builder.BuildAsync(filter, cancellationToken).ConfigureAwait(false);
            return Results.Json(report, JsonOptions);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.ReportFailed(loggers.CreateLogger(typeof(MigrationEndpoints)), ex);
            return ReportUnavailable();
        }
    }

    public static async Task<IResult> GetDashboardAsync(
        HttpContext context,
        string? since,
        string? model,
        ReportBuilder builder,
        IOptions<MigrationHarnessOptions> options,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        if (!TryFilter(since, model, time, out var filter, out var problem))
        {
            return problem;
        }

        try
        {
            var report = await builder.BuildAsync(filter, cancellationToken).ConfigureAwait(false);
            var monitor = context.RequestServices.GetService<ProviderHealthMonitor>();
            var html = DashboardPage.Render(report, options.Value.InstanceName, options.Value.Candidate.Name, monitor?.Snapshots(), monitor?.State.RouteToCandidate ?? false);
            return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.ReportFailed(loggers.CreateLogger(typeof(MigrationEndpoints)), ex);
            return ReportUnavailable();
        }
    }

    public static IResult GetStatus(
        IOptions<MigrationHarnessOptions> options,
        ShadowControl control,
        ShadowQueue queue,
        NoiseFloor noise,
        HarnessMetrics metrics,
        IRecordSink sink,
        CanaryStateCache canaryCache,
        CanaryController controller,
        CandidateForwarder forwarder,
        TimeProvider time,
        IServiceProvider services)
    {
        var o = options.Value;
        var monitor = services.GetService<ProviderHealthMonitor>();
        var settings = control.Settings;
        var counts = metrics.Counts;
        var stats = sink.Stats;
        var drops = sink.Drops;
        var status = new
        {
            instance = o.InstanceName,
            primary = new { name = o.Primary.Name, baseUrl = o.Primary.BaseUrl },
            candidate = new { name = o.Candidate.Name, baseUrl = o.Candidate.BaseUrl, modelMap = o.Candidate.ModelMap },
            routes = o.EffectiveRoutes,
            shadow = new
            {
                enabled = settings.Enabled,
                sampleRate = settings.SampleRate,
                settingsSource = control.Source,
                stickyKey = o.Shadow.StickyKey,
                pausedUntil = control.PausedUntil,
                queueDepth = queue.Count,
                queueCapacity = queue.Capacity,
                workers = o.Shadow.Workers,
                timeoutSeconds = o.Shadow.Timeout.TotalSeconds,
                storeContent = o.Shadow.StoreContent,
                enqueued = counts.Enqueued,
                compared = counts.Compared,
                dropped = new
                {
                    total = counts.DroppedTotal,
                    queueFull = counts.DroppedQueueFull,
                    paused = counts.DroppedPaused,
                    tooLarge = counts.SkippedTooLarge,
                    workerError = counts.DroppedWorkerError,
                    sinkRefused = counts.DroppedSinkRefused,
                    stopped = counts.DroppedStopped,
                },
                noiseFloor = new
                {
                    rate = noise.Rate,
                    active = noise.Active,
                    inactiveReason = noise.InactiveReason,
                    pausedUntil = noise.PausedUntil,
                    compared = metrics.NoiseComparedCount,
                },
            },
            canary = new
            {
                state = canaryCache.Current.State?.State.Phase.ToName(),
                weight = canaryCache.Current.Weight,
                version = canaryCache.Current.Version,
                loadedAt = canaryCache.Current.LoadedAt,
                failSafe = canaryCache.Current.FailSafeReason,
                stickyKey = o.Canary.StickyKey,
                circuitBreaker = forwarder.BreakerState.ToString(),
                leader = canaryCache.Current.State?.LeaderInstance,
                leaderHeartbeatAt = canaryCache.Current.State?.LeaderHeartbeatAt,
                controller = new { running = controller.Status.Running, isLeader = controller.Status.IsLeader, heartbeatAt = controller.Status.HeartbeatAt, note = controller.Status.Note },
            },
            providers = HealthEndpoints.StatusProviders(monitor, time.GetUtcNow()),
            sink = new
            {
                produced = stats.Produced,
                written = stats.Written,
                dropped = stats.Dropped,
                droppedByReason = new { bufferFull = drops.BufferFull, rejected = drops.Rejected, schemaMissing = drops.SchemaMissing, stopped = drops.Stopped },
                pending = stats.Pending,
                failures = stats.Failures,
            },
        };
        return Results.Json(status, JsonOptions);
    }

    /// <summary>
    /// Sets the shadow switch through the canary store (stored, audited with actor <c>api</c> and the reason, applied
    /// by every instance on NOTIFY, this one at once), exactly as <c>migrationctl shadow</c> does. Without a store
    /// it changes this instance only and says so.
    /// </summary>
    public static async Task<IResult> SetShadowAsync(
        HttpContext context,
        ShadowControl control,
        CanaryStateCache cache,
        IOptions<MigrationHarnessOptions> options,
        TimeProvider time,
        ILoggerFactory loggers)
    {
        var store = context.RequestServices.GetService<ICanaryStateStore>();
        ShadowUpdate? update;
        try
        {
            update = await JsonSerializer.DeserializeAsync<ShadowUpdate>(context.Request.Body, JsonOptions, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            return Results.ValidationProblem(
                new Dictionary<string, string[]> { ["body"] = [$"must be a JSON object like {{\"enabled\":true,\"sampleRate\":0.5}} ({ex.Message})"] },
                title: "Invalid shadow settings");
        }

        if (update is null || (update.Enabled is null && update.SampleRate is null))
        {
            return Results.ValidationProblem(
                new Dictionary<string, string[]> { ["body"] = ["must set 'enabled' (true/false) and/or 'sampleRate' (0..1)"] },
                title: "Invalid shadow settings");
        }

        if (update.SampleRate is { } rate && (double.IsNaN(rate) || rate is < 0 or > 1))
        {
            return Results.ValidationProblem(
                new Dictionary<string, string[]> { ["sampleRate"] = [$"must be between 0 and 1 (got {rate.ToString(System.Globalization.CultureInfo.InvariantCulture)})"] },
                title: "Invalid shadow settings");
        }

        var reason = string.IsNullOrWhiteSpace(update.Reason) ? null : update.Reason.Trim();
        if (reason is { Length: > 1000 })
        {
            return Results.ValidationProblem(
                new Dictionary<string, string[]> { ["reason"] = ["must be at most 1000 characters"] },
                title: "Invalid shadow settings");
        }

        var logger = loggers.CreateLogger(typeof(MigrationEndpoints));
        ShadowSettings settings;
        if (store is not null)
        {
            var stored = await store.SetShadowAsync(options.Value.Canary.Migration, update.Enabled, update.SampleRate, CanaryEndpoints.Actor, reason, context.RequestAborted).ConfigureAwait(false);
            cache.Update(stored, time.GetUtcNow());
            settings = control.Settings;
        }
        else
        {
            var current = control.Settings;
            settings = control.SetLocal(update.Enabled ?? current.Enabled, update.SampleRate ?? current.SampleRate);
        }

        Log.ShadowChanged(logger, settings.Enabled, settings.SampleRate, store is not null ? "stored; every instance applies it" : "this instance only: no canary store");
        return Results.Json(new { enabled = settings.Enabled, sampleRate = settings.SampleRate, source = control.Source, stored = store is not null }, JsonOptions);
    }

    private static bool TryFilter(string? since, string? model, TimeProvider time, out ReportFilter filter, out IResult problem)
    {
        filter = new ReportFilter();
        problem = Results.Empty;
        if (!SinceParser.TryParse(since, time.GetUtcNow(), out var from))
        {
            problem = Results.ValidationProblem(
                new Dictionary<string, string[]> { ["since"] = [$"must be a duration like 30m, 1h, 2d or an ISO-8601 time (got '{since}')"] },
                title: "Invalid report filter");
            return false;
        }

        if (model is not null && (model.Length is 0 or > 200))
        {
            problem = Results.ValidationProblem(
                new Dictionary<string, string[]> { ["model"] = ["must be a model name of 1 to 200 characters"] },
                title: "Invalid report filter");
            return false;
        }

        filter = new ReportFilter(from, model);
        return true;
    }

    private static IResult ReportUnavailable() => Results.Problem(
        statusCode: StatusCodes.Status503ServiceUnavailable,
        title: "Report unavailable",
        detail: "The storage could not be queried; see the server log.");

    private static partial class Log
    {
        [LoggerMessage(EventId = 1401, EventName = "ReportFailed", Level = LogLevel.Error, Message = "Building the migration report failed.")]
        public static partial void ReportFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 1402, EventName = "ShadowSettingsChanged", Level = LogLevel.Information,
            Message = "Shadow mode set through the admin API: enabled {Enabled}, sample rate {SampleRate} ({Scope}).")]
        public static partial void ShadowChanged(ILogger logger, bool enabled, double sampleRate, string scope);
    }
}
