using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Migration.Simulator.Protocol;

namespace Migration.Simulator.Hosting;

/// <summary>
/// The control surface: <c>GET/PUT/DELETE /_sim/faults</c>, <c>GET/PUT/DELETE /_sim/answers</c> and
/// <c>GET/DELETE /_sim/stats</c>. No authentication,
/// no faults, not counted in the stats: it must keep working during an injected outage.
/// </summary>
internal sealed class ControlEndpoints
{
    public const string Prefix = "/_sim/";

    private readonly SimulatorState _state;

    public ControlEndpoints(SimulatorState state) => _state = state;

    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value!;
        var method = context.Request.Method;
        switch (path)
        {
            case "/_sim/faults" when HttpMethods.IsGet(method):
                await WriteFaultsAsync(context, _state.Faults);
                return;
            case "/_sim/faults" when HttpMethods.IsPut(method):
                await PutFaultsAsync(context);
                return;
            case "/_sim/faults" when HttpMethods.IsDelete(method):
                _state.Faults = FaultSettings.None;
                await WriteFaultsAsync(context, FaultSettings.None);
                return;
            case "/_sim/answers" when HttpMethods.IsGet(method):
                await WriteAnswersAsync(context, _state.Answers);
                return;
            case "/_sim/answers" when HttpMethods.IsPut(method):
                await PutAnswersAsync(context);
                return;
            case "/_sim/answers" when HttpMethods.IsDelete(method):
                _state.Answers = _state.InitialAnswers;
                await WriteAnswersAsync(context, _state.InitialAnswers);
                return;
            case "/_sim/stats" when HttpMethods.IsGet(method):
                await WriteJsonAsync(context, _state.Stats.Snapshot(), SimulatorJsonContext.Default.SimulatorStatsSnapshot);
                return;
            case "/_sim/stats" when HttpMethods.IsDelete(method):
                _state.Stats.Reset();
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            case "/_sim/faults" or "/_sim/answers" or "/_sim/stats":
                await ResponseWriter.WriteErrorAsync(context, new OpenAIError(405, $"Method {method} is not allowed on {path}.", OpenAIError.InvalidRequest, null, "method_not_allowed"));
                return;
            default:
                await ResponseWriter.WriteErrorAsync(context, new OpenAIError(404, $"Unknown control route {path}. Use /_sim/faults, /_sim/answers or /_sim/stats.", OpenAIError.InvalidRequest, null, "not_found"));
                return;
        }
    }

    /// <summary>Parses and validates a fault settings JSON text; null with every problem listed on failure.</summary>
    internal static FaultSettings? ParseFaults(string json, out IReadOnlyList<string> errors) =>
        Parse(json, SimulatorJsonContext.Default.FaultSettingsDocument, "fault settings", out errors, (FaultSettingsDocument d, out IReadOnlyList<string> e) =>
        {
            var settings = d.ToSettings();
            e = settings.Validate();
            return e.Count == 0 ? settings : null;
        });

    /// <summary>Parses a <c>PUT /_sim/answers</c> body over the current settings; null with every problem listed on failure.</summary>
    internal static AnswerSettings? ParseAnswers(string json, AnswerSettings current, out IReadOnlyList<string> errors) =>
        Parse(json, SimulatorJsonContext.Default.AnswerSettingsDocument, "answer settings", out errors, (AnswerSettingsDocument d, out IReadOnlyList<string> e) => d.ToSettings(current, out e));

    private static T? Parse<TDocument, T>(string json, JsonTypeInfo<TDocument> typeInfo, string what, out IReadOnlyList<string> errors, Convert<TDocument, T> convert)
        where T : class
    {
        try
        {
            var document = JsonSerializer.Deserialize(json, typeInfo);
            if (document is null)
            {
                errors = [$"The {what} must be a JSON object."];
                return null;
            }

            return convert(document, out errors);
        }
        catch (JsonException ex)
        {
            errors = [ex.Message];
            return null;
        }
    }

    private async Task PutAnswersAsync(HttpContext context)
    {
        var body = await ReadBodyAsync(context);
        var settings = ParseAnswers(body, _state.Answers, out var errors);
        if (settings is null)
        {
            await ResponseWriter.WriteErrorAsync(context, OpenAIError.Invalid("Invalid answer settings: " + string.Join(" ", errors), "answers", "invalid_answer_settings"));
            return;
        }

        _state.Answers = settings;
        await WriteAnswersAsync(context, settings);
    }

    private static Task WriteAnswersAsync(HttpContext context, AnswerSettings settings) =>
        WriteJsonAsync(context, AnswerSettingsDocument.From(settings), SimulatorJsonContext.Default.AnswerSettingsDocument);

    private static async Task<string> ReadBodyAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        return await reader.ReadToEndAsync(context.RequestAborted);
    }

    private async Task PutFaultsAsync(HttpContext context)
    {
        var body = await ReadBodyAsync(context);
        var settings = ParseFaults(body, out var errors);
        if (settings is null)
        {
            await ResponseWriter.WriteErrorAsync(context, OpenAIError.Invalid("Invalid fault settings: " + string.Join(" ", errors), "faults", "invalid_fault_settings"));
            return;
        }

        _state.Faults = settings;
        await WriteFaultsAsync(context, settings);
    }

    private static Task WriteFaultsAsync(HttpContext context, FaultSettings settings) =>
        WriteJsonAsync(context, settings, SimulatorJsonContext.Default.FaultSettings);

    private static async Task WriteJsonAsync<T>(HttpContext context, T value, JsonTypeInfo<T> typeInfo)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = ResponseWriter.JsonContentType;
        await JsonSerializer.SerializeAsync(context.Response.Body, value, typeInfo, context.RequestAborted);
    }

    private delegate T? Convert<in TDocument, out T>(TDocument document, out IReadOnlyList<string> errors);
}
