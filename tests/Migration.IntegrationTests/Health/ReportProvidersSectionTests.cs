using Migration.TestKit;
using System.Text.Json;
using System.Text.RegularExpressions;
using Migration.IntegrationTests.Stack;

namespace Migration.IntegrationTests.Health;

/// <summary>
/// The report's <c>providers</c> section comes from the recorded health events, so <c>GET /migration/report</c> and
/// <c>migrationctl report --json</c> (no live process to ask) print the same bytes, generatedAt aside.
/// </summary>
public sealed partial class ReportProvidersSectionTests
{
    [Fact]
    public async Task Report_AfterHealthEvents_EndpointJsonEqualsCliJsonWithProviders()
    {
        await using var stack = await MigrationStack.StartAsync(new MigrationStackOptions { Settings = HealthStack.FastSettings() });
        await HealthStack.WaitForBothHealthyAsync(stack);
        await Eventually.UntilAsync("both providers recorded healthy", async () =>
        {
            var recorded = (await stack.GetReportAsync()).GetProperty("providers").GetProperty("providers");
            return recorded.GetArrayLength() == 2 && recorded.EnumerateArray().All(p => p.GetProperty("status").GetString() == "healthy");
        });
        var host = CliRunner.For(stack);

        // A probe may record a status change between the two reads: then read both again (bounded).
        string endpoint = string.Empty, cli = string.Empty;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            endpoint = WithoutGeneratedAt(await stack.Admin.GetStringAsync("/migration/report"));
            var (exit, stdout, stderr) = await CliRunner.RunAsync(host, "report", "--json");
            Assert.True(exit == 0, stderr);
            cli = WithoutGeneratedAt(stdout.TrimEnd('\r', '\n'));
            if (endpoint == cli)
            {
                break;
            }
        }

        Assert.Equal(endpoint, cli);
        using var report = JsonDocument.Parse(cli);
        var providers = report.RootElement.GetProperty("providers");
        Assert.Equal("itest-1", providers.GetProperty("instance").GetString());
        Assert.Equal(JsonValueKind.Null, providers.GetProperty("note").ValueKind);
        Assert.False(providers.GetProperty("failover").GetProperty("active").GetBoolean());
        Assert.True(providers.GetProperty("statusChanges").GetInt32() >= 2);
        Assert.Equal(
            ["primary", "candidate"],
            providers.GetProperty("providers").EnumerateArray().Select(p => p.GetProperty("role").GetString()!).ToArray());
    }

    private static string WithoutGeneratedAt(string json) => GeneratedAt().Replace(json, "\"generatedAt\":\"-\"", 1);

    [GeneratedRegex("\"generatedAt\":\"[^\"]*\"")]
    private static partial Regex GeneratedAt();
}
