namespace Migration.Simulator.Protocol;

/// <summary>An error answered in OpenAI's shape: <c>{"error":{"message","type","param","code"}}</c>.</summary>
internal sealed record OpenAIError(int Status, string Message, string Type, string? Param, string? Code)
{
    public const string InvalidRequest = "invalid_request_error";

    public static OpenAIError Invalid(string message, string? param = null, string? code = null) =>
        new(400, message, InvalidRequest, param, code);

    public static OpenAIError Missing(string param) =>
        new(400, $"Missing required parameter: '{param}'.", InvalidRequest, param, "missing_required_parameter");

    public static OpenAIError MalformedJson() =>
        new(400, "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)", InvalidRequest, null, null);

    public static OpenAIError InvalidText() =>
        new(400, "We could not parse the JSON body of your request: it contains an invalid Unicode escape (a lone surrogate such as \\ud800). The OpenAI API expects valid UTF-8 JSON text.", InvalidRequest, null, null);

    public static OpenAIError ModelNotFound(string model) =>
        new(404, $"The model `{model}` does not exist or you do not have access to it.", InvalidRequest, null, "model_not_found");

    public static OpenAIError InvalidApiKey(bool missing) => missing
        ? new(401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", InvalidRequest, null, "invalid_api_key")
        : new(401, "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.", InvalidRequest, null, "invalid_api_key");
}
