using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Migration.AspNetCore.Shadow;
using Migration.IntegrationTests.Canary;
using Migration.IntegrationTests.Stack;
using Migration.Simulator;
using Migration.TestKit;
using Xunit.Abstractions;

namespace Migration.IntegrationTests.Shadow;

/// <summary>
/// The shadow switch really switches: <c>migrationctl shadow ...</c> and <c>PUT /migration/shadow</c> store the
/// setting in <c>canary_state</c>, audit it, and every running instance applies it on NOTIFY (the safety-net poll is
/// 10 minutes here, so nothing else could deliver it). The effect is observed where it matters: the candidate
/// simulator's request count and the shadow rows stop growing. How fast is printed; the 1 s goal is the
/// <c>switches</c> load scenario's (wall-clock limits do not hold on a busy machine).
/// </summary>
public sealed class ShadowSwitchTests(ITestOutputHelper output)
{
    private static Dictionary<string, string?> Settings() => CanaryNode.Settings(TimeSpan.FromSeconds(1), new Dictionary<string, string?>
    {
        ["Migration:Canary:ControllerEnabled"] = "false",
        ["Migration:Canary:PollInterval"] = "00:10:00",
        ["Migration:Shadow:Enabled"] = "true",
        ["Migration:Shadow:SampleRate"] = "1",
        ["Migration:Shadow:NoiseFloorRate"] = "0",
    });

    [Fact]
    public async Task CliShadowDisable_RunningInstances_StopMirroringUntilEnabledAgain()
    {
        await using var stack = await MigrationStack.StartAsync(new MigrationStackOptions { Settings = Settings() });
        await using var other = await CanaryNode.StartAsync(stack, "node-b", Settings());
        var cli = CliRunner.For(stack, "oncall");
        await ProductionTraffic.SendSequentialAsync(stack, 4);
        await stack.WaitForShadowRowsAsync(4);

        var issued = Stopwatch.GetTimestamp();
        var disable = await CliRunner.RunAsync(cli, "shadow", "disable", "--reason", "candidate rate limits live traffic");
        Assert.Equal(0, disable.Exit);
        Assert.Contains("shadow disabled", disable.Stdout, StringComparison.Ordinal);
        var instances = new[] { stack.Services.GetRequiredService<ShadowControl>(), other.Services.GetRequiredService<ShadowControl>() };
        await Eventually.UntilAsync("both instances stop mirroring", () => Task.FromResult(instances.All(c => !c.Settings.Enabled)), TimeSpan.FromSeconds(30));
        output.WriteLine($"CLI shadow disable (command included) applied by both instances after {Stopwatch.GetElapsedTime(issued).TotalMilliseconds:0} ms");

        // The effect: production traffic goes on, the candidate sees none of it and no shadow row is added.
        await stack.WaitForQuietAsync();
        var candidateBefore = CandidateCalls(stack);
        var rowsBefore = await stack.CountShadowRowsAsync();
        await ProductionTraffic.SendSequentialAsync(stack, 10);
        await stack.WaitForQuietAsync();
        Assert.Equal(candidateBefore, CandidateCalls(stack));
        Assert.Equal(rowsBefore, await stack.CountShadowRowsAsync());

        var shadow = (await stack.GetStatusAsync()).GetProperty("shadow");
        Assert.False(shadow.GetProperty("enabled").GetBoolean());
        Assert.Equal("stored", shadow.GetProperty("settingsSource").GetString());
        var (actor, reason) = await NewestEventAsync(stack);
        Assert.Equal("cli:oncall", actor);
        Assert.Contains("candidate rate limits live traffic", reason, StringComparison.Ordinal);

        // And back on: mirroring resumes on both instances.
        Assert.Equal(0, (await CliRunner.RunAsync(cli, "shadow", "enable", "--reason", "limits raised")).Exit);
        await Eventually.UntilAsync("both instances mirror again", () => Task.FromResult(instances.All(c => c.Settings.Enabled)), TimeSpan.FromSeconds(30));
        await ProductionTraffic.SendSequentialAsync(stack, 3);
        await stack.WaitForShadowRowsAsync(rowsBefore + 3);
        Assert.True(CandidateCalls(stack) >= candidateBefore + 3);
    }

    [Fact]
    public async Task PutShadow_OnOneInstance_StoredAuditedAndAppliedByEveryInstanceAndAfterARestart()
    {
        await using var stack = await MigrationStack.StartAsync(new MigrationStackOptions { Settings = Settings() });
        await using var other = await CanaryNode.StartAsync(stack, "node-b", Settings());

        using (var response = await stack.Admin.PutAsync("/migration/shadow", new StringContent("""{"sampleRate":0,"reason":"drill"}""", Encoding.UTF8, "application/json")))
        {
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(body.GetProperty("stored").GetBoolean());
            Assert.Equal(0, body.GetProperty("sampleRate").GetDouble());
        }

        // The answering instance at once, the other one through NOTIFY.
        Assert.Equal(0, stack.Services.GetRequiredService<ShadowControl>().Settings.SampleRate);
        await Eventually.UntilAsync("the other instance applies rate 0", () => Task.FromResult(other.Services.GetRequiredService<ShadowControl>().Settings.SampleRate == 0), TimeSpan.FromSeconds(30));
        Assert.Equal(0, await stack.ScalarAsync<double>("SELECT shadow_sample_rate FROM canary_state WHERE migration = 'default'"));
        var (actor, reason) = await NewestEventAsync(stack);
        Assert.Equal("api", actor);
        Assert.Contains("drill", reason, StringComparison.Ordinal);

        // An instance started later (a restart) serves the stored setting, not its configuration's rate 1.
        await using var later = await CanaryNode.StartAsync(stack, "node-c", Settings());
        Assert.Equal(new ShadowSettings(true, 0), later.Services.GetRequiredService<ShadowControl>().Settings);
        var candidateBefore = CandidateCalls(stack);
        await ProductionTraffic.SendSequentialAsync(stack, 5);
        await stack.WaitForQuietAsync();
        Assert.Equal(candidateBefore, CandidateCalls(stack));
    }

    private static long CandidateCalls(MigrationStack stack) =>
        stack.Candidate!.Stats.GetRouteCount(SimulatorStats.ChatRoute) + stack.Candidate.Stats.GetRouteCount(SimulatorStats.EmbeddingsRoute);

    private static async Task<(string Actor, string Reason)> NewestEventAsync(MigrationStack stack)
    {
        await using var connection = await stack.OpenConnectionAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT actor, reason FROM canary_events ORDER BY id DESC LIMIT 1", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetString(0), reader.GetString(1));
    }
}
