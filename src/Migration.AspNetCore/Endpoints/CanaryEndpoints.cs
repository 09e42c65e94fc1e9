using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Migration.AspNetCore.Canary;
using Migration.AspNetCore.Configuration;
using Migration.AspNetCore.Routing;
using Migration.Core.Canary;
using Migration.Core.Reporting;
using Migration.Core.Storage;

namespace Migration.AspNetCore.Endpoints;

/// <summary>
/// <c>GET {prefix}/canary</c> (state, weight, step, leader, last decision, recent events) and
/// <c>POST {prefix}/canary/{command}</c> (start, pause, resume, promote, promote-full, rollback, set-weight, retry,
/// reset): the same policy and store as <c>migrationctl canary</c>, with actor <c>api</c>. Bad input is a 400
/// problem, a command the state forbids a 409 problem with the reason.
/// </summary>
internal static partial class CanaryEndpoints
{
    public const string Actor = "api";
    internal const int RecentEvents = 20;

    public static async Task<IResult> GetAsync(
        IServiceProvider services,
        IOptions<MigrationHarnessOptions> options,
        CanaryStateCache cache,
        CanaryController controller,
        CandidateForwarder forwarder,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        if (services.GetService(typeof(ICanaryStateStore)) is not ICanaryStateStore store)
        {
            return NoStore();
        }

        var o = options.Value;
        try
        {
            var state = await store.GetAsync(o.Canary.Migration, cancellationToken).ConfigureAwait(false);
            var events = await store.GetEventsAsync(o.Canary.Migration, RecentEvents, cancellationToken).ConfigureAwait(false);
            var local = cache.Current;
            var section = CanaryReport.From(state, events, controller.Policy.Steps);
            var status = controller.Status;
            return Results.Json(
                new
                {
                    migration = state.Migration,
                    section.State,
                    section.Weight,
                    section.Step,
                    section.StepIndex,
                    steps = controller.Policy.Steps,
                    version = state.State.Version,
                    reason = state.State.Reason,
                    updatedAt = state.State.UpdatedAt,
                    stepStartedAt = state.State.StepStartedAt,
                    leader = new
                    {
                        instance = state.LeaderInstance,
                        heartbeatAt = state.LeaderHeartbeatAt,
                    },
                    controller = new
                    {
                        instance = o.InstanceName,
                        running = status.Running,
                        isLeader = status.IsLeader,
                        heartbeatAt = status.HeartbeatAt,
                        note = status.Note,
                        intervalSeconds = o.Canary.Interval.TotalSeconds,
                    },
                    routing = new
                    {
                        weight = local.Weight,
                        version = local.Version,
                        loadedAt = local.LoadedAt,
                        failSafe = local.FailSafeReason,
                        stickyKey = o.Canary.StickyKey,
                        circuitBreaker = forwarder.BreakerState.ToString(),
                    },
                    section.LastDecision,
                    section.Events,
                },
                ReportJson.Options);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.CanaryFailed(loggers.CreateLogger(typeof(CanaryEndpoints)), ex);
            return StoreUnavailable();
        }
    }

    public static async Task<IResult> CommandAsync(
        string command,
        HttpContext context,
        IOptions<MigrationHarnessOptions> options,
        CanaryStateCache cache,
        CanaryController controller,
        TimeProvider time,
        ILoggerFactory loggers)
    {
        var cancellationToken = context.RequestAborted;
        if (!CanaryCommand.TryParseKind(command, out var kind))
        {
            return Invalid("command", $"unknown canary command '{command}': use start, pause, resume, promote, promote-full, rollback, set-weight, retry or reset");
        }

        CanaryCommandBody? body = null;
        // CanHaveBody covers HTTP/2 and HTTP/3 bodies sent without Content-Length (and Transfer-Encoding) as well.
        var canHaveBody = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature>()?.CanHaveBody
            ?? (context.Request.ContentLength is not null || context.Request.Headers.TransferEncoding.Count > 0);
        if (context.Request.ContentLength is not 0 && canHaveBody)
        {
            try
            {
                body = await JsonSerializer.DeserializeAsync<CanaryCommandBody>(context.Request.Body, ReportJson.Options, cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException ex)
            {
                return Invalid("body", $"must be a JSON object like {{\"reason\":\"...\"}} or {{\"weight\":25}} ({ex.Message})");
            }
        }

        var reason = string.IsNullOrWhiteSpace(body?.Reason) ? null : body.Reason.Trim();
        if (reason is { Length: > 1000 })
        {
            return Invalid("reason", "must be at most 1000 characters");
        }

        CanaryCommand parsed;
        switch (kind)
        {
            case CanaryCommandKind.Rollback when reason is null:
                return Invalid("reason", "is required for rollback: say why, e.g. {\"reason\":\"error spike in checkout\"}");
            case CanaryCommandKind.SetWeight when body?.Weight is not { } weight:
                return Invalid("weight", "is required for set-weight: a percentage 0..100, e.g. {\"weight\":25}");
            case CanaryCommandKind.SetWeight:
                var w = body!.Weight!.Value;
                if (double.IsNaN(w) || w is < 0 or > 100)
                {
                    return Invalid("weight", $"must be within 0..100 (got {w.ToString(CultureInfo.InvariantCulture)})");
                }

                parsed = CanaryCommand.SetWeight(w, reason);
                break;
            default:
                parsed = kind switch
                {
                    CanaryCommandKind.Start => CanaryCommand.Start(reason),
                    CanaryCommandKind.Pause => CanaryCommand.Pause(reason),
                    CanaryCommandKind.Resume => CanaryCommand.Resume(reason),
                    CanaryCommandKind.Promote => CanaryCommand.Promote(reason),
                    CanaryCommandKind.PromoteFull => CanaryCommand.PromoteFull(reason),
                    CanaryCommandKind.Rollback => CanaryCommand.Rollback(reason),
                    CanaryCommandKind.Retry => CanaryCommand.Retry(reason),
                    _ => CanaryCommand.Reset(reason),
                };
                break;
        }

        if (context.RequestServices.GetService(typeof(ICanaryStateStore)) is not ICanaryStateStore store)
        {
            return NoStore();
        }

        var migration = options.Value.Canary.Migration;
        var policy = controller.Policy;
        CanaryCommandOutcome outcome;
        try
        {
            outcome = await store.ApplyAsync(migration, s => policy.Apply(s, parsed, time.GetUtcNow()), Actor, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.CanaryFailed(loggers.CreateLogger(typeof(CanaryEndpoints)), ex);
            return StoreUnavailable();
        }

        if (outcome.Rejected)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Canary command not allowed now",
                detail: outcome.Decision.Reason,
                extensions: new Dictionary<string, object?> { ["state"] = outcome.State.State.Phase.ToName(), ["weight"] = outcome.State.State.Weight });
        }

        // This instance routes by the new state at once; the others follow through NOTIFY.
        cache.Update(outcome.State, time.GetUtcNow());
        var s = outcome.State.State;
        if (outcome.Changed)
        {
            Log.CommandApplied(loggers.CreateLogger(typeof(CanaryEndpoints)), kind.ToString(), s.Phase.ToName(), s.Weight, outcome.Decision.Reason);
        }

        return Results.Json(
            new
            {
                command = kind,
                changed = outcome.Changed,
                eventId = outcome.EventId,
                state = s.Phase.ToName(),
                weight = s.Weight,
                step = CanaryReport.StepNumber(s, policy.Steps),
                stepIndex = s.StepIndex,
                version = s.Version,
                reason = outcome.Decision.Reason,
            },
            ReportJson.Options);
    }

    private static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "Invalid canary command");

    private static IResult NoStore() => Results.Problem(
        statusCode: StatusCodes.Status503ServiceUnavailable,
        title: "Canary unavailable",
        detail: "No canary state store is registered: call services.AddMigrationPostgres(connectionString).");

    private static IResult StoreUnavailable() => Results.Problem(
        statusCode: StatusCodes.Status503ServiceUnavailable,
        title: "Canary unavailable",
        detail: "The canary state could not be read or written; see the server log. migrationctl works on the database directly.");

    private static partial class Log
    {
        [LoggerMessage(EventId = 1403, EventName = "CanaryEndpointFailed", Level = LogLevel.Error, Message = "A canary admin request failed.")]
        public static partial void CanaryFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 1404, EventName = "CanaryCommandApplied", Level = LogLevel.Warning,
            Message = "Canary command {Command} through the admin API: now {State} at {Weight}%: {Reason}")]
        public static partial void CommandApplied(ILogger logger, string command, string state, double weight, string reason);
    }
}
