using System.Text.Json;

namespace Migration.IntegrationTests.Stack;

/// <summary>What a client of the support app sends (no provider request: the app builds that).</summary>
internal static class SupportRoutes
{
    public const string Answer = "/api/support/answer";
    public const string Similar = "/api/support/similar";

    /// <summary>A question, answered as JSON or streamed back as text.</summary>
    public static string Question(string question, bool stream = false) => JsonSerializer.Serialize(new { question, stream });
}
