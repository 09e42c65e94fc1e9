using Migration.TestKit;
using System.ClientModel;
using System.Text;
using Migration.IntegrationTests.Stack;
using Migration.SampleApi;
using Migration.Simulator;
using OpenAI.Chat;

namespace Migration.IntegrationTests.Canary;

/// <summary>Canary traffic through the sample API to the candidate simulator, read by the official OpenAI SDK.</summary>
public sealed class CandidateForwarderTests
{
    [Fact]
    public async Task ForwardAsync_CandidateStreamCutOffAfterCommit_OpenAISdkSurfacesAnError()
    {
        await using var stack = await MigrationStack.StartAsync(new MigrationStackOptions { Settings = CanaryNode.Settings(TimeSpan.FromSeconds(1)) });
        (await stack.Admin.PostAsync("/migration/canary/set-weight", new StringContent("""{"weight":100}""", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        stack.Candidate!.Faults = new FaultSettings { TruncateRate = 1 };
        var chat = stack.CreateOpenAIClient().GetChatClient("gpt-4.1");

        var text = new StringBuilder();
        var error = await Record.ExceptionAsync(async () =>
        {
            await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Tell me a long story")]))
            {
                foreach (var part in update.ContentUpdate)
                {
                    text.Append(part.Text);
                }
            }
        });

        Assert.NotNull(error);
        Assert.True(error is IOException or HttpRequestException or ClientResultException, error.ToString());
        Assert.True(stack.Candidate.Stats.GetRouteCount(SimulatorStats.ChatRoute) > 0);
    }

    [Theory]
    [InlineData(SampleMode.Middleware)]
    [InlineData(SampleMode.Outgoing)]
    public async Task ForwardAsync_CandidateDown_EveryClientRequestServedByThePrimary(SampleMode mode)
    {
        await using var stack = await MigrationStack.StartAsync(new MigrationStackOptions { Mode = mode, Settings = CanaryNode.Settings(TimeSpan.FromSeconds(1)) });
        (await stack.Admin.PostAsync("/migration/canary/set-weight", new StringContent("""{"weight":100}""", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        stack.Candidate!.Faults = new FaultSettings { Outage = true };

        await ProductionTraffic.SendConcurrentAsync(stack, 30, 3);

        Assert.True(stack.Candidate.Stats.GetRouteCount(SimulatorStats.ChatRoute) > 0);
    }

    [Fact]
    public async Task ForwardAsync_CandidateLacksTheModel_FallbackModelServesAndBothAttemptsAreStoredWithCost()
    {
        var candidate = MigrationStackOptions.DefaultCandidate();
        candidate.Models = ["gpt-4.1-mini", "gpt-4o-mini"];
        var settings = CanaryNode.Settings(TimeSpan.FromSeconds(1), new Dictionary<string, string?>
        {
            ["Migration:Candidate:FallbackModels:gpt-4.1:0"] = "gpt-4.1-mini",
            ["Migration:Candidate:FallbackModels:gpt-4.1:1"] = "gpt-4o-mini",
        });
        await using var stack = await MigrationStack.StartAsync(new MigrationStackOptions { Candidate = candidate, Settings = settings });
        (await stack.Admin.PostAsync("/migration/canary/set-weight", new StringContent("""{"weight":100}""", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        var chat = stack.CreateOpenAIClient().GetChatClient("gpt-4.1");

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("Say hello")]);

        Assert.Equal("gpt-4.1-mini", completion.Model);
        Assert.Equal(0, stack.Primary.Stats.GetRouteCount(SimulatorStats.ChatRoute));
        var rows = new List<(int Attempt, string Model, string Outcome, string ErrorClass, int? Status, decimal? Cost, string RequestedModel)>();
        await Eventually.UntilAsync("both attempts in candidate_attempts", async () =>
        {
            rows.Clear();
            await using var connection = await stack.OpenConnectionAsync();
            await using var command = new Npgsql.NpgsqlCommand(
                "SELECT attempt, model, outcome, error_class, status, cost_usd, requested_model FROM candidate_attempts ORDER BY attempt", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetDecimal(5), reader.GetString(6)));
            }

            return rows.Count >= 2;
        });

        Assert.Equal(2, rows.Count);
        Assert.Equal((1, "gpt-4.1", "next_model", "client_error", (int?)404, (decimal?)0m, "gpt-4.1"), rows[0]);
        Assert.Equal((2, "gpt-4.1-mini", "served", "none", (int?)200), (rows[1].Attempt, rows[1].Model, rows[1].Outcome, rows[1].ErrorClass, rows[1].Status));
        Assert.True(rows[1].Cost > 0m, $"cost {rows[1].Cost}");

        // The report says what the chain did, the same from the endpoint and from migrationctl (PostgreSQL only).
        var fallbacks = (await stack.GetReportAsync()).GetProperty("fallbacks");
        Assert.Equal((1, 1, 0), (fallbacks.GetProperty("requests").GetInt32(), fallbacks.GetProperty("servedByFallback").GetInt32(), fallbacks.GetProperty("fellBackToPrimary").GetInt32()));
        Assert.Equal(["gpt-4.1", "gpt-4.1-mini"], fallbacks.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("model").GetString()));
        var (exit, stdout, stderr) = await CliRunner.RunAsync(CliRunner.For(stack), "report", "--json");
        Assert.True(exit == 0, stderr);
        Assert.Equal(fallbacks.GetRawText(), System.Text.Json.JsonDocument.Parse(stdout).RootElement.GetProperty("fallbacks").GetRawText());
        var (_, text, _) = await CliRunner.RunAsync(CliRunner.For(stack), "report");
        Assert.Contains("fallback models: 1 request(s) with a chain, 1 served by a fallback model", text, StringComparison.Ordinal);
    }
}
