using System.ClientModel;
using System.Text;
using Migration.IntegrationTests.Stack;
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

    [Fact]
    public async Task ForwardAsync_CandidateDown_EveryClientRequestServedByThePrimary()
    {
        await using var stack = await MigrationStack.StartAsync(new MigrationStackOptions { Settings = CanaryNode.Settings(TimeSpan.FromSeconds(1)) });
        (await stack.Admin.PostAsync("/migration/canary/set-weight", new StringContent("""{"weight":100}""", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        stack.Candidate!.Faults = new FaultSettings { Outage = true };

        await ProductionTraffic.SendConcurrentAsync(stack, 30, 3);

        Assert.True(stack.Candidate.Stats.GetRouteCount(SimulatorStats.ChatRoute) > 0);
    }
}
