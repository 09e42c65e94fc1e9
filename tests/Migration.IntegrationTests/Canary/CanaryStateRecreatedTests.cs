using Microsoft.Extensions.DependencyInjection;
using Migration.AspNetCore.Canary;
using Migration.IntegrationTests.Stack;
using Migration.TestKit;

namespace Migration.IntegrationTests.Canary;

/// <summary>A <c>canary_state</c> row recreated by hand (its version starting again) is what running instances route by.</summary>
public sealed class CanaryStateRecreatedTests
{
    [Fact]
    public async Task Poll_RowRecreatedWithALowerVersion_RunningInstanceRoutesByIt()
    {
        await using var stack = await MigrationStack.StartAsync(new MigrationStackOptions
        {
            Settings = CanaryNode.Settings(TimeSpan.FromMilliseconds(300), new Dictionary<string, string?>
            {
                ["Migration:Canary:ControllerEnabled"] = "false",
                ["Migration:Canary:PollInterval"] = "00:00:00.500",
            }),
        });
        var cache = stack.Services.GetRequiredService<CanaryStateCache>();
        (await stack.Admin.PostAsync("/migration/canary/start", null)).EnsureSuccessStatusCode();
        (await stack.Admin.PostAsync("/migration/canary/promote", null)).EnsureSuccessStatusCode();
        await Eventually.UntilAsync("the instance routes the ramp", () => Task.FromResult(cache.Current.Weight > 0));

        // What a DBA's DELETE + INSERT leaves: a lower version, weight 0 (no NOTIFY: only the poll can see it).
        await stack.ScalarAsync<int>("UPDATE canary_state SET version = 1, weight = 0, state = 'rolled_back', step_index = -1; SELECT 1");

        await Eventually.UntilAsync("the instance routes by the recreated row", () => Task.FromResult(cache.Current.Weight == 0 && cache.Current.Version == 1));
    }
}
