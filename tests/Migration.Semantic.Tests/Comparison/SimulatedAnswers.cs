using System.Text;
using System.Text.Json;
using Migration.Core.OpenAI;
using Migration.Simulator;

namespace Migration.Semantic.Tests.Comparison;

/// <summary>Chat answers of real loopback simulators, asked over HTTP the way the demo asks (same prompts, 120 tokens).</summary>
internal static class SimulatedAnswers
{
    private static readonly string[] Topics =
    [
        "refund policy for annual plans", "reset a forgotten password", "export invoices as CSV", "change the billing email",
        "two-factor authentication", "delete my account", "upgrade to the team plan", "API rate limits", "webhook retries",
        "data retention", "SSO with Okta", "mobile app offline mode", "shipping to Canada", "order status", "gift cards",
    ];

    private static readonly string[] Styles = ["Answer briefly:", "Explain step by step:", "In one paragraph:", "As a friendly support agent:"];

    private static readonly string[] Others =
    [
        "Summarise the benefits of canary releases in two sentences.",
        "Explain what a p99 latency is to a product manager.",
        "List three ways to make an HTTP client resilient.",
        "Write a python function that retries an HTTP call.",
        "How do I run a database migration without downtime?",
    ];

    /// <summary>The demo's prompts (every style x topic) and a few load-scenario prompts.</summary>
    public static IReadOnlyList<string> Prompts { get; } =
        [.. Styles.SelectMany(s => Topics.Select(t => $"{s} how do I handle {t}? (ticket 7)")), .. Others];

    public static Task<SimulatorHost> StartAsync(string name, AnswerStyle style, double degradedRate = 0) =>
        SimulatorHost.StartAsync(new SimulatorOptions { Name = name, AnswerStyle = style, DegradedRate = degradedRate });

    public static async Task<ProviderAnswer> AskAsync(SimulatorHost host, string prompt, int maxTokens = 120)
    {
        using var http = new HttpClient();
        var body = JsonSerializer.Serialize(new
        {
            model = "gpt-4.1",
            max_tokens = maxTokens,
            messages = new object[]
            {
                new { role = "system", content = "You are a helpful support assistant for Acme Cloud." },
                new { role = "user", content = prompt },
            },
        });
        using var response = await http.PostAsync(new Uri(host.BaseUri, "chat/completions"), new StringContent(body, Encoding.UTF8, "application/json"));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return ProviderAnswerReader.Read((int)response.StatusCode, bytes, response.Content.Headers.ContentType?.ToString(), AnswerKind.Chat);
    }
}
