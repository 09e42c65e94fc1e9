using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Migration.AspNetCore.Canary;
using Migration.Cli;
using Migration.IntegrationTests.Canary;
using Migration.IntegrationTests.Stack;
using Migration.Simulator;
using Migration.TestKit;
using Xunit.Abstractions;

namespace Migration.IntegrationTests.Playbooks;

/// <summary>
/// The rollback playbook's promise: with every API instance stopped, <c>migrationctl canary rollback</c> succeeds; an
/// instance started afterwards serves 0 % canary; with instances running, a CLI change reaches them through NOTIFY
/// (the safety-net poll is set to 10 minutes here, so nothing else can deliver it). How fast is measured and printed;
/// the 1 s goal is the <c>switches</c> load scenario's, as wall-clock limits do not hold on a busy machine.
/// </summary>
public sealed class RollbackWithoutApiTests
{
    private readonly ITestOutputHelper _output;

    public RollbackWithoutApiTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Rollback_EveryApiStopped_SucceedsAndInstancesStartedLaterServeZeroPercent()
    {
        await using var database = await TestDatabase.CreateAsync("rollback");
        var cli = new CliHost
        {
            UserName = "oncall",
            GetEnvironmentVariable = name => name == "MIGRATION_DB" ? database.ConnectionString : null,
        };
        Assert.Equal(0, (await CliRunner.RunAsync(cli, "canary", "start", "--reason", "ramp")).Exit);
        Assert.Equal(0, (await CliRunner.RunAsync(cli, "canary", "set-weight", "50", "--reason", "half the traffic")).Exit);

        // No API instance is running: the rollback talks to PostgreSQL only.
        Assert.Equal(0, (await CliRunner.RunAsync(cli, "canary", "rollback", "--reason", "3 a.m. incident")).Exit);

        await using var stack = await MigrationStack.StartAsync(new MigrationStackOptions
        {
            ConnectionString = database.ConnectionString,
            Settings = CanaryNode.Settings(TimeSpan.FromSeconds(1), new Dictionary<string, string?>
            {
                ["Migration:Canary:ControllerEnabled"] = "false",
                ["Migration:Canary:PollInterval"] = "00:10:00",
            }),
        });
        var cache = stack.Services.GetRequiredService<CanaryStateCache>();
        Assert.Equal(0, cache.Current.Weight);
        await ProductionTraffic.SendSequentialAsync(stack, 20);
        Assert.Equal(0, stack.Candidate!.Stats.GetRouteCount(SimulatorStats.ChatRoute));

        // With the instance running, a CLI change reaches it through NOTIFY.
        Assert.Equal(0, (await CliRunner.RunAsync(cli, "canary", "retry", "--reason", "cause fixed")).Exit);
        await WaitForWeightAsync(cache, w => w > 0, TimeSpan.FromSeconds(30));

        var issued = Stopwatch.GetTimestamp();
        Assert.Equal(0, (await CliRunner.RunAsync(cli, "canary", "rollback", "--reason", "again")).Exit);
        var seen = await WaitForWeightAsync(cache, w => w == 0, TimeSpan.FromSeconds(30));
        var elapsed = Stopwatch.GetElapsedTime(issued, seen);
        _output.WriteLine($"CLI rollback (command included) seen by the running instance after {elapsed.TotalMilliseconds:0} ms");
    }

    private static async Task<long> WaitForWeightAsync(CanaryStateCache cache, Func<double, bool> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!condition(cache.Current.Weight))
        {
            Assert.True(Stopwatch.GetTimestamp() < deadline, $"weight still {cache.Current.Weight} after {timeout.TotalSeconds} s");
            await Task.Delay(2);
        }

        return Stopwatch.GetTimestamp();
    }
}
