using Migration.Simulator.Protocol;
using Migration.Simulator.Randomness;

namespace Migration.Simulator.Hosting;

/// <summary>
/// The whole request pipeline in one terminal delegate (no routing middleware: the simulator must be cheap).
/// For a <c>/v1</c> request: count it, add the extra latency, answer 503 during an outage, check the Bearer key,
/// reject unknown routes, draw at most one fault, then let the route's handler answer.
/// </summary>
internal sealed class SimulatorDispatcher
{
    private readonly SimulatorState _state;
    private readonly ControlEndpoints _control;
    private readonly ChatCompletionsHandler _chat;
    private readonly EmbeddingsHandler _embeddings;
    private readonly ModelsHandler _models;

    public SimulatorDispatcher(SimulatorState state)
    {
        _state = state;
        _control = new ControlEndpoints(state);
        _chat = new ChatCompletionsHandler(state);
        _embeddings = new EmbeddingsHandler(state);
        _models = new ModelsHandler(state);
    }

    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (path.StartsWith(ControlEndpoints.Prefix, StringComparison.Ordinal))
        {
            return _control.HandleAsync(context);
        }

        if (!path.StartsWith("/v1/", StringComparison.Ordinal))
        {
            return ResponseWriter.WriteErrorAsync(context, InvalidUrl(context));
        }

        return HandleProviderAsync(context, path);
    }

    internal static SimulatedFault? Draw(FaultSettings faults, ref SplitMix64 random)
    {
        if (faults.TotalRate <= 0)
        {
            return null;
        }

        var draw = random.NextDouble();
        var edge = faults.Error500Rate;
        if (draw < edge)
        {
            return SimulatedFault.Error500;
        }

        if (draw < (edge += faults.Error502Rate))
        {
            return SimulatedFault.Error502;
        }

        if (draw < (edge += faults.Error503Rate))
        {
            return SimulatedFault.Error503;
        }

        if (draw < (edge += faults.Error429Rate))
        {
            return SimulatedFault.Error429;
        }

        if (draw < (edge += faults.HangRate))
        {
            return SimulatedFault.Hang;
        }

        if (draw < (edge += faults.ResetRate))
        {
            return SimulatedFault.Reset;
        }

        if (draw < (edge += faults.TruncateRate))
        {
            return SimulatedFault.Truncate;
        }

        return draw < edge + faults.MalformedRate ? SimulatedFault.Malformed : null;
    }

    private async Task HandleProviderAsync(HttpContext context, string path)
    {
        var method = context.Request.Method;
        var route = path switch
        {
            "/v1/chat/completions" => SimulatorStats.RouteIndex.Chat,
            "/v1/embeddings" => SimulatorStats.RouteIndex.Embeddings,
            "/v1/models" => SimulatorStats.RouteIndex.Models,
            _ when path.StartsWith("/v1/models/", StringComparison.Ordinal) => SimulatorStats.RouteIndex.Models,
            _ => SimulatorStats.RouteIndex.Other,
        };

        var stats = _state.Stats;
        stats.RequestStarted(route);
        var abortedByUs = false;
        try
        {
            var faults = _state.Faults;
            await _state.DelayAsync(faults.ExtraLatencyMs, context.RequestAborted);
            if (faults.Outage)
            {
                stats.FaultInjected(SimulatedFault.Outage);
                await ResponseWriter.WriteErrorAsync(context, new OpenAIError(503, "The server is temporarily unavailable (simulated outage).", "server_error", null, "service_unavailable"));
                return;
            }

            if (!IsAuthorized(context, out var missingKey))
            {
                await ResponseWriter.WriteErrorAsync(context, OpenAIError.InvalidApiKey(missingKey));
                return;
            }

            var expectedMethod = route switch
            {
                SimulatorStats.RouteIndex.Models => HttpMethods.Get,
                SimulatorStats.RouteIndex.Other => null,
                _ => HttpMethods.Post,
            };
            if (expectedMethod is null)
            {
                await ResponseWriter.WriteErrorAsync(context, InvalidUrl(context));
                return;
            }

            if (!string.Equals(method, expectedMethod, StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Headers.Allow = expectedMethod;
                await ResponseWriter.WriteErrorAsync(context, new OpenAIError(405, $"Method {method} is not allowed on {path}; use {expectedMethod}.", OpenAIError.InvalidRequest, null, "method_not_allowed"));
                return;
            }

            if (faults.RateLimitedKey is { Length: > 0 } limited && BearerIs(context, limited))
            {
                await TryInjectAsync(context, SimulatedFault.Error429, faults);
                return;
            }

            var random = _state.NextRequestRandom();
            var fault = Draw(faults, ref random);
            if (fault is { } injected && await TryInjectAsync(context, injected, faults))
            {
                abortedByUs = injected is SimulatedFault.Reset or SimulatedFault.Hang;
                return;
            }

            context.Response.Headers["x-simulator"] = _state.Options.Name;
            var bodyFault = fault is SimulatedFault.Truncate or SimulatedFault.Malformed ? fault : null;
            switch (route)
            {
                case SimulatorStats.RouteIndex.Chat:
                    await _chat.HandleAsync(context, random, bodyFault);
                    break;
                case SimulatorStats.RouteIndex.Embeddings:
                    await _embeddings.HandleAsync(context, random, bodyFault);
                    break;
                default:
                    await _models.HandleAsync(context, bodyFault);
                    break;
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested || _state.Stopping.IsCancellationRequested)
        {
            // The client gave up (or we are stopping): nothing left to answer.
            abortedByUs = true;
            context.Abort();
        }
        catch (IOException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The connection went away mid-write.
        }
        finally
        {
            var sent = context.Response.HasStarted || !(abortedByUs || context.RequestAborted.IsCancellationRequested);
            stats.RequestEnded(sent ? context.Response.StatusCode : 0);
        }
    }

    /// <summary>Applies a fault that replaces the answer; false for the body faults the handlers apply.</summary>
    private async Task<bool> TryInjectAsync(HttpContext context, SimulatedFault fault, FaultSettings faults)
    {
        switch (fault)
        {
            case SimulatedFault.Error500:
                _state.Stats.FaultInjected(fault);
                await ResponseWriter.WriteErrorAsync(context, new OpenAIError(500, "The server had an error while processing your request. Sorry about that! (simulated)", "server_error", null, null));
                return true;
            case SimulatedFault.Error502:
                _state.Stats.FaultInjected(fault);
                await ResponseWriter.WriteErrorAsync(context, new OpenAIError(502, "Bad gateway. (simulated)", "server_error", null, "bad_gateway"));
                return true;
            case SimulatedFault.Error503:
                _state.Stats.FaultInjected(fault);
                await ResponseWriter.WriteErrorAsync(context, new OpenAIError(503, "The engine is currently overloaded, please try again later. (simulated)", "server_error", null, "service_unavailable"));
                return true;
            case SimulatedFault.Error429:
                _state.Stats.FaultInjected(fault);
                await ResponseWriter.WriteErrorAsync(
                    context,
                    new OpenAIError(429, "Rate limit reached for requests. Please try again later. (simulated)", "requests", null, "rate_limit_exceeded"),
                    faults.RetryAfterSeconds);
                return true;
            case SimulatedFault.Reset:
                _state.Stats.FaultInjected(fault);
                context.Abort();
                return true;
            case SimulatedFault.Hang:
                _state.Stats.FaultInjected(fault);
                await HangAsync(context, faults.HangMs);
                return true;
            default:
                return false;
        }
    }

    private async Task HangAsync(HttpContext context, int hangMs)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _state.Stopping);
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(hangMs), _state.TimeProvider, linked.Token);
        }
        catch (OperationCanceledException)
        {
            // The client gave up or the simulator is stopping.
        }

        context.Abort();
    }

    private bool IsAuthorized(HttpContext context, out bool missing)
    {
        missing = false;
        var key = _state.Options.ApiKey;
        if (string.IsNullOrEmpty(key))
        {
            return true;
        }

        var header = context.Request.Headers.Authorization;
        if (header.Count == 0 || string.IsNullOrEmpty(header[0]))
        {
            missing = true;
            return false;
        }

        if (BearerIs(context, key))
        {
            return true;
        }

        foreach (var extra in _state.Options.ExtraApiKeys)
        {
            if (BearerIs(context, extra))
            {
                return true;
            }
        }

        return false;
    }

    private static bool BearerIs(HttpContext context, string key)
    {
        var header = context.Request.Headers.Authorization;
        if (header.Count == 0 || string.IsNullOrEmpty(header[0]))
        {
            return false;
        }

        var value = header[0].AsSpan();
        return value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && value[7..].Trim().SequenceEqual(key);
    }

    private static OpenAIError InvalidUrl(HttpContext context) =>
        new(404, $"Invalid URL ({context.Request.Method} {context.Request.Path})", OpenAIError.InvalidRequest, null, null);
}
