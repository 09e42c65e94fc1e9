using System.Globalization;
using System.Text.Json;

namespace Migration.IntegrationTests.Stack;

/// <summary>Canned OpenAI request bodies, as a client of the sample API would send them.</summary>
internal static class OpenAIRequests
{
    public const string ChatRoute = "/v1/chat/completions";
    public const string EmbeddingsRoute = "/v1/embeddings";

    /// <summary>A chat completion answered as JSON.</summary>
    public static string Chat(string prompt, string model = "gpt-4.1") => Serialize(new Dictionary<string, object?>
    {
        ["model"] = model,
        ["messages"] = new[] { new { role = "user", content = prompt } },
    });

    /// <summary>A streamed chat completion with <c>stream_options.include_usage</c>.</summary>
    public static string ChatStream(string prompt, string model = "gpt-4.1") => Serialize(new Dictionary<string, object?>
    {
        ["model"] = model,
        ["messages"] = new[] { new { role = "user", content = prompt } },
        ["stream"] = true,
        ["stream_options"] = new { include_usage = true },
    });

    /// <summary>A chat request offering a <c>get_weather</c> tool the prompt calls for.</summary>
    public static string ToolCall(string city = "Paris", string model = "gpt-4.1") => Serialize(new Dictionary<string, object?>
    {
        ["model"] = model,
        ["messages"] = new[] { new { role = "user", content = $"What is the weather in {city} right now?" } },
        ["tools"] = new[]
        {
            new
            {
                type = "function",
                function = new
                {
                    name = "get_weather",
                    description = "Current weather of a city",
                    parameters = new
                    {
                        type = "object",
                        properties = new Dictionary<string, object>
                        {
                            ["location"] = new { type = "string" },
                            ["unit"] = new { type = "string", @enum = new[] { "celsius", "fahrenheit" } },
                        },
                        required = new[] { "location" },
                    },
                },
            },
        },
    });

    /// <summary>An embeddings request.</summary>
    public static string Embeddings(string input, string model = "text-embedding-3-small", int dimensions = 8) => Serialize(new Dictionary<string, object?>
    {
        ["model"] = model,
        ["input"] = input,
        ["dimensions"] = dimensions,
    });

    /// <summary>A numbered prompt, distinct per <paramref name="i"/>.</summary>
    public static string Prompt(int i) => string.Create(CultureInfo.InvariantCulture, $"Question {i}: how do I rotate my credentials safely?");

    private static string Serialize(object value) => JsonSerializer.Serialize(value);
}
