using System.Text.Json;
using Migration.SampleApi;
using Migration.SampleApi.Support;

namespace Migration.IntegrationTests.Stack;

/// <summary>Checks on what the candidate was sent, per mode.</summary>
internal static class AppRequests
{
    /// <summary>
    /// The candidate got chat requests, each the one the app sent: the gateway forwards its client's OpenAI request;
    /// the support app sends the request it built (its system message first, the question as the user's message),
    /// never its client's raw body.
    /// </summary>
    public static void AssertCandidateGotWhatTheAppSent(MigrationStack stack)
    {
        var received = stack.Candidate!.ChatRequests;
        Assert.NotEmpty(received);
        foreach (var body in received)
        {
            var root = JsonDocument.Parse(body).RootElement;
            Assert.False(root.TryGetProperty("question", out _), "The candidate got a client's raw body: " + body);
            var messages = root.GetProperty("messages");
            if (stack.Options.Mode == SampleMode.Outgoing)
            {
                Assert.Equal("system", messages[0].GetProperty("role").GetString());
                Assert.Equal(SupportAssistant.SystemPrompt, messages[0].GetProperty("content").GetString());
                Assert.StartsWith("Question ", messages[1].GetProperty("content").GetString(), StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal("user", messages[0].GetProperty("role").GetString());
            }
        }
    }
}
