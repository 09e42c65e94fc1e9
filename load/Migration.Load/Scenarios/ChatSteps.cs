using System.Globalization;
using System.Text;
using Migration.Load.Driver;

namespace Migration.Load.Scenarios;

/// <summary>Steps that call an OpenAI-compatible <c>/v1/chat/completions</c> the way a client of the app would.</summary>
internal static class ChatSteps
{
    public const string Model = "gpt-4.1-mini";

    private static readonly string[] Prompts =
    [
        "Summarise the benefits of canary releases in two sentences.",
        "Write a haiku about database migrations.",
        "Explain what a p99 latency is to a product manager.",
        "List three ways to make an HTTP client resilient.",
        "What is the capital of France? Answer in one word.",
        "Translate 'shadow traffic' into French and German.",
        "Give one tip for writing good commit messages.",
        "Why do load tests need an open workload model?",
    ];

    /// <summary>The JSON body of request number <paramref name="invocation"/> (prompts rotate).</summary>
    public static string Body(long invocation, bool stream, int maxTokens = 64)
    {
        var prompt = Prompts[(int)(invocation % Prompts.Length)];
        return string.Create(
            CultureInfo.InvariantCulture,
            $$"""{"model":"{{Model}}","messages":[{"role":"user","content":"{{prompt}}"}],"max_tokens":{{maxTokens}},"stream":{{(stream ? "true" : "false")}}}""");
    }

    /// <summary>A step posting a chat completion to <paramref name="baseUrl"/> (server root, e.g. http://127.0.0.1:5000).</summary>
    public static Func<IStepContext, Task<StepResponse>> Chat(HttpClient client, string baseUrl, bool stream = false, string path = "/v1/chat/completions")
    {
        var uri = new Uri(baseUrl.TrimEnd('/') + path);
        return ctx =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, uri)
            {
                Content = new StringContent(Body(ctx.InvocationNumber, stream), Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "sk-load-client");
            return HttpStep.SendAsync(client, request, ctx, stream);
        };
    }
}
