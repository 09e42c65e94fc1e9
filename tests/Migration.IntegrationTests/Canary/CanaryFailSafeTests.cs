using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Migration.AspNetCore.Canary;
using Migration.IntegrationTests.Stack;
using Migration.Simulator;
using Migration.TestKit;

namespace Migration.IntegrationTests.Canary;

/// <summary>
/// The canary fails safe when its state cannot be read: while the database cannot answer for
/// <c>Canary:FailSafeAfter</c>, a running instance sends its live traffic to the primary, says so in status, and
/// routes by the stored weight again as soon as a read succeeds.
/// </summary>
public sealed class CanaryFailSafeTests
{
    [Fact]
    public async Task StateUnreadable_ForFailSafeAfter_LiveTrafficGoesToThePrimaryUntilReadableAgain()
    {
        await using var stack = await MigrationStack.StartAsync(new MigrationStackOptions
        {
            Settings = CanaryNode.Settings(TimeSpan.FromMilliseconds(300), new Dictionary<string, string?>
            {
                ["Migration:Canary:ControllerEnabled"] = "false",
                ["Migration:Canary:PollInterval"] = "00:00:00.200",
                ["Migration:Canary:FailSafeAfter"] = "00:00:01",
            }),
        });
        var cache = stack.Services.GetRequiredService<CanaryStateCache>();
        (await stack.Admin.PostAsync("/migration/canary/set-weight", new StringContent("""{"weight":100}""", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        await Eventually.UntilAsync("the instance routes at 100 %", () => Task.FromResult(cache.Current.Weight == 100));
        await ProductionTraffic.SendSequentialAsync(stack, 5, Chat);
        Assert.Equal(5, stack.Candidate!.Stats.GetRouteCount(SimulatorStats.ChatRoute));
        Assert.Equal(0, stack.Primary.Stats.GetRouteCount(SimulatorStats.ChatRoute));

        // What the instance sees when PostgreSQL cannot answer for the canary state (every read fails).
        await stack.ScalarAsync<int>("ALTER TABLE canary_state RENAME TO canary_state_away; SELECT 1");
        await Eventually.UntilAsync("the instance fails safe", () => Task.FromResult(cache.Current.FailSafeReason is not null), TimeSpan.FromSeconds(20));

        Assert.Equal(0, cache.Current.Weight);
        var status = await stack.GetStatusAsync();
        Assert.Contains("unreadable", status.GetProperty("canary").GetProperty("failSafe").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, status.GetProperty("canary").GetProperty("weight").GetDouble());
        stack.Candidate.Stats.Reset();
        stack.Primary.Stats.Reset();
        await ProductionTraffic.SendSequentialAsync(stack, 5, Chat);
        Assert.Equal(0, stack.Candidate.Stats.GetRouteCount(SimulatorStats.ChatRoute));
        Assert.Equal(5, stack.Primary.Stats.GetRouteCount(SimulatorStats.ChatRoute));

        // Readable again: the stored weight is back on the next read.
        await stack.ScalarAsync<int>("ALTER TABLE canary_state_away RENAME TO canary_state; SELECT 1");
        await Eventually.UntilAsync("the instance routes by the stored weight again", () => Task.FromResult(cache.Current.FailSafeReason is null && cache.Current.Weight == 100), TimeSpan.FromSeconds(20));
        stack.Candidate.Stats.Reset();
        await ProductionTraffic.SendSequentialAsync(stack, 3, Chat);
        Assert.Equal(3, stack.Candidate.Stats.GetRouteCount(SimulatorStats.ChatRoute));
    }

    private static (string Route, string Body) Chat(int i) => (OpenAIRequests.ChatRoute, OpenAIRequests.Chat(OpenAIRequests.Prompt(i)));
}
