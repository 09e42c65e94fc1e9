using Migration.Simulator.Hosting;

namespace Migration.Simulator.Protocol;

/// <summary><c>GET /v1/models</c> and <c>GET /v1/models/{id}</c>.</summary>
internal sealed class ModelsHandler
{
    private const string Prefix = "/v1/models/";

    private readonly SimulatorState _state;

    public ModelsHandler(SimulatorState state) => _state = state;

    public async Task HandleAsync(HttpContext context, SimulatedFault? bodyFault)
    {
        var path = context.Request.Path.Value!;
        string? single = null;
        if (path.Length > Prefix.Length)
        {
            single = Uri.UnescapeDataString(path[Prefix.Length..]);
            if (!_state.ServesModel(single))
            {
                await ResponseWriter.WriteErrorAsync(context, OpenAIError.ModelNotFound(single));
                return;
            }
        }

        using var buffer = ResponseBuffer.Rent();
        var json = buffer.Json;
        var created = _state.UnixNow();
        if (single is not null)
        {
            WriteModel(json, single, created);
        }
        else
        {
            json.WriteStartObject();
            json.WriteString("object"u8, "list"u8);
            json.WriteStartArray("data"u8);
            foreach (var model in _state.Options.Models)
            {
                WriteModel(json, model, created);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        buffer.EndJson();
        await ResponseWriter.WriteBodyAsync(context, buffer, bodyFault, _state.Stats);
    }

    private void WriteModel(System.Text.Json.Utf8JsonWriter json, string model, long created)
    {
        json.WriteStartObject();
        json.WriteString("id"u8, model);
        json.WriteString("object"u8, "model"u8);
        json.WriteNumber("created"u8, created);
        json.WriteString("owned_by"u8, _state.Options.Name);
        json.WriteEndObject();
    }
}
