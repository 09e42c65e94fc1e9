using Migration.IntegrationTests.Stack;
using Migration.SampleApi;
using Migration.Simulator;

namespace Migration.IntegrationTests.Shadow;

/// <summary>Shadow mode end to end in both modes: every request mirrored, the report counts them, clients unaffected.</summary>
public sealed class ShadowModesTests
{
    [Theory]
    [InlineData(SampleMode.Middleware)]
    [InlineData(SampleMode.Outgoing)]
    public async Task Shadow_MixedTraffic_EveryRequestMirroredWithWhatTheAppSentAndReported(SampleMode mode)
    {
        await using var stack = await MigrationStack.StartAsync(new MigrationStackOptions { Mode = mode });

        await ProductionTraffic.SendSequentialAsync(stack, 9);

        await stack.WaitForShadowRowsAsync(9);
        await stack.WaitForQuietAsync();
        Assert.Equal(9, await stack.CountShadowRowsAsync());
        Assert.Equal(6, await stack.CountShadowRowsAsync("route = '/v1/chat/completions'"));
        Assert.Equal(3, await stack.CountShadowRowsAsync("streamed"));
        Assert.Equal(9, stack.Primary.Stats.GetRouteCount(SimulatorStats.ChatRoute) + stack.Primary.Stats.GetRouteCount(SimulatorStats.EmbeddingsRoute));
        Assert.Equal(6, stack.Candidate!.Stats.GetRouteCount(SimulatorStats.ChatRoute));
        AppRequests.AssertCandidateGotWhatTheAppSent(stack);
        var shadow = (await stack.GetReportAsync()).GetProperty("shadow");
        Assert.Equal(9, shadow.GetProperty("compared").GetInt32());
    }
}
