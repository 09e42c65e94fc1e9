using System.Text.Json;
using Migration.Load.Scenarios;

namespace Migration.Load.Tests.Scenarios;

public sealed class CanaryScenarioTests
{
    [Fact]
    public void ChatCount_SimulatorStats_ReturnsChatRouteOnly()
    {
        using var stats = JsonDocument.Parse("""{"totalRequests":57,"routes":{"models":40,"chat":17,"embeddings":0,"other":0}}""");

        Assert.Equal(17, CanaryScenario.ChatCount(stats.RootElement));
    }

    [Fact]
    public void ChatCount_NoRoutes_ReturnsNaN()
    {
        using var stats = JsonDocument.Parse("""{"totalRequests":3}""");

        Assert.True(double.IsNaN(CanaryScenario.ChatCount(stats.RootElement)));
    }
}
