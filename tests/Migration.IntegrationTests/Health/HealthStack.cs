using Migration.TestKit;
using System.Text.Json;
using Migration.IntegrationTests.Stack;

namespace Migration.IntegrationTests.Health;

/// <summary>Short health intervals for the failover tests, and reading <c>GET /migration/health</c>.</summary>
internal static class HealthStack
{
    public static readonly TimeSpan Cooldown = TimeSpan.FromSeconds(3);

    public static Dictionary<string, string?> FastSettings(TimeSpan? cooldown = null) => new()
    {
        ["Migration:Health:Interval"] = "00:00:00.250",
        ["Migration:Health:Timeout"] = "00:00:01",
        ["Migration:Health:FailureThreshold"] = "3",
        ["Migration:Health:RecoveryThreshold"] = "2",
        ["Migration:Health:Failover:Cooldown"] = (cooldown ?? Cooldown).ToString("c"),
    };

    public static async Task<JsonElement> GetHealthAsync(MigrationStack stack)
    {
        using var document = JsonDocument.Parse(await stack.Admin.GetStringAsync("/migration/health"));
        return document.RootElement.Clone();
    }

    public static string Status(JsonElement health, string role) =>
        health.GetProperty("providers").EnumerateArray().First(p => p.GetProperty("role").GetString() == role).GetProperty("status").GetString()!;

    public static bool RouteToCandidate(JsonElement health) => health.GetProperty("failover").GetProperty("routeToCandidate").GetBoolean();

    public static Task WaitForBothHealthyAsync(MigrationStack stack) =>
        Eventually.UntilAsync(
            "both providers healthy",
            async () =>
            {
                var health = await GetHealthAsync(stack);
                return Status(health, "primary") == "healthy" && Status(health, "candidate") == "healthy";
            },
            describe: async () => (await GetHealthAsync(stack)).GetRawText());
}
