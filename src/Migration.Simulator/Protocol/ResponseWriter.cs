using System.Globalization;

namespace Migration.Simulator.Protocol;

/// <summary>Writes finished bodies, OpenAI errors and the body-level faults (malformed, truncated).</summary>
internal static class ResponseWriter
{
    public const string JsonContentType = "application/json";

    public static async Task WriteErrorAsync(HttpContext context, OpenAIError error, int? retryAfterSeconds = null)
    {
        using var buffer = ResponseBuffer.Rent();
        var json = buffer.Json;
        json.WriteStartObject();
        json.WriteStartObject("error"u8);
        json.WriteString("message"u8, error.Message);
        json.WriteString("type"u8, error.Type);
        WriteNullableString(json, "param"u8, error.Param);
        WriteNullableString(json, "code"u8, error.Code);
        json.WriteEndObject();
        json.WriteEndObject();
        buffer.EndJson();

        var response = context.Response;
        response.StatusCode = error.Status;
        if (retryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        await WriteBodyAsync(context, buffer);
    }

    /// <summary>Sends a complete JSON body with its Content-Length.</summary>
    public static Task WriteBodyAsync(HttpContext context, ResponseBuffer buffer)
    {
        var response = context.Response;
        response.ContentType = JsonContentType;
        response.ContentLength = buffer.Length;
        return response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).AsTask();
    }

    /// <summary>
    /// Sends a complete JSON body, or the body-level fault drawn for this request (<see cref="SimulatedFault.Malformed"/>,
    /// <see cref="SimulatedFault.Truncate"/>; counted in <paramref name="stats"/>). Other faults are answered before a body.
    /// </summary>
    public static Task WriteBodyAsync(HttpContext context, ResponseBuffer buffer, SimulatedFault? bodyFault, SimulatorStats stats)
    {
        switch (bodyFault)
        {
            case SimulatedFault.Malformed:
                stats.FaultInjected(SimulatedFault.Malformed);
                return WriteMalformedAsync(context, buffer);
            case SimulatedFault.Truncate:
                stats.FaultInjected(SimulatedFault.Truncate);
                return WriteTruncatedAsync(context, buffer);
            default:
                return WriteBodyAsync(context, buffer);
        }
    }

    /// <summary>200 with the first half of the body only, as a complete response: the JSON does not parse.</summary>
    public static Task WriteMalformedAsync(HttpContext context, ResponseBuffer buffer)
    {
        var half = Math.Max(1, buffer.Length / 2);
        var response = context.Response;
        response.ContentType = JsonContentType;
        response.ContentLength = half;
        return response.Body.WriteAsync(buffer.WrittenMemory[..half], context.RequestAborted).AsTask();
    }

    /// <summary>Announces the full length, sends half, then drops the connection.</summary>
    public static async Task WriteTruncatedAsync(HttpContext context, ResponseBuffer buffer)
    {
        var response = context.Response;
        response.ContentType = JsonContentType;
        response.ContentLength = buffer.Length;
        await response.Body.WriteAsync(buffer.WrittenMemory[..(buffer.Length / 2)], context.RequestAborted);
        await response.Body.FlushAsync(context.RequestAborted);
        context.Abort();
    }

    private static void WriteNullableString(System.Text.Json.Utf8JsonWriter json, ReadOnlySpan<byte> name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
