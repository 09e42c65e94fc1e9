using System.Net.Http.Json;
using System.Text.Json;
using Migration.IntegrationTests.Stack;
using Migration.Simulator;
using Migration.TestKit;

namespace Migration.IntegrationTests.Canary;

/// <summary>
/// Client-supplied model names that PostgreSQL cannot index (8 KB of random text) or that are not text at all
/// (invalid UTF-8, a lone surrogate escape) must not stop the recorder: traffic buckets keep being written and the
/// controller still sees the canary, so it can still roll back.
/// </summary>
public sealed class PoisonLabelTests
{
    [Fact]
    public async Task Run_EightKilobyteAndInvalidUtf8ModelNames_BucketsKeepBeingWrittenAndTheControllerStillRollsBack()
    {
        var random = new Random(16);
        var huge = new string([.. Enumerable.Range(0, 8192).Select(_ => (char)random.Next('a', 'z' + 1))]);
        var primary = MigrationStackOptions.DefaultPrimary();
        var candidate = MigrationStackOptions.DefaultCandidate();
        // Both providers serve the huge name: only the harness's own recording is under test, not their answers.
        primary.Models.Add(huge);
        candidate.Models.Add(huge);
        var settings = CanaryNode.Settings(TimeSpan.FromSeconds(1), new Dictionary<string, string?>
        {
            ["Migration:Canary:Steps:0"] = "50",
            ["Migration:Canary:Steps:1"] = "100",
            ["Migration:Shadow:Enabled"] = "true",
        });
        await using var stack = await MigrationStack.StartAsync(new MigrationStackOptions
        {
            Primary = primary,
            Candidate = candidate,
            Settings = settings,
            Storage = o => o.FlushInterval = TimeSpan.FromMilliseconds(100),
        });
        (await stack.Admin.PostAsync("/migration/canary/start", null)).EnsureSuccessStatusCode();

        // The poison: 8 KB random names (served 200 by both), invalid UTF-8 and a lone surrogate (refused by providers).
        for (var i = 0; i < 20; i++)
        {
            var answer = await stack.PostAsync(OpenAIRequests.ChatRoute, OpenAIRequests.Chat(OpenAIRequests.Prompt(i), huge));
            Assert.Equal(200, answer.Status);
        }

        byte[] invalidUtf8 = [.. "{\"model\":\"gpt-"u8, 0xC3, 0x28, 0xFF, .. "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"u8];
        for (var i = 0; i < 3; i++)
        {
            using var content = new ByteArrayContent(invalidUtf8);
            content.Headers.ContentType = new("application/json");
            using var invalid = await stack.Http.PostAsync(OpenAIRequests.ChatRoute, content);
            await stack.PostAsync(OpenAIRequests.ChatRoute, """{"model":"gpt-\ud800","messages":[{"role":"user","content":"hi"}]}""");
        }

        var afterPoison = await stack.ScalarAsync<DateTime>("SELECT now()");

        // Buckets keep coming after the poison, for the poison's own label as well (bucketed, not lost).
        await ProductionTraffic.SendSequentialAsync(stack, 30);
        await Eventually.UntilAsync(
            "traffic buckets written after the poison",
            async () => await stack.ScalarAsync<long>($"SELECT count(*) FROM traffic_buckets WHERE model = 'gpt-4.1' AND arm = 'canary' AND second >= '{afterPoison:O}'::timestamptz - interval '1 second'") > 0);
        Assert.True(await stack.ScalarAsync<long>("SELECT count(*) FROM traffic_buckets WHERE model = '(other)'") > 0);
        Assert.Equal(0L, await stack.ScalarAsync<long>("SELECT count(*) FROM traffic_buckets WHERE length(model) > 200"));

        // The controller still sees the canary: a candidate fault rolls it back.
        stack.Candidate!.Faults = new FaultSettings { Error500Rate = 1.0 };
        var sent = 1000;
        await Eventually.UntilAsync(
            "automatic rollback after the poison",
            async () =>
            {
                var (route, body) = ProductionTraffic.Mixed(sent++);
                ProductionTraffic.AssertComplete(await stack.PostAsync(route, body), body);
                var canary = await stack.Admin.GetFromJsonAsync<JsonElement>("/migration/canary");
                return canary.GetProperty("state").GetString() == "rolled_back";
            },
            TimeSpan.FromSeconds(60));

        await stack.WaitForQuietAsync();
        var sink = (await stack.GetStatusAsync()).GetProperty("sink");
        // Capped at the source: nothing reached PostgreSQL as a poison row; every record accounted for.
        Assert.Equal(0, sink.GetProperty("dropped").GetInt64());
        Assert.Equal(sink.GetProperty("produced").GetInt64(), sink.GetProperty("written").GetInt64());
        Assert.True(await stack.CountShadowRowsAsync("primary_model = '(other)'") > 0);
    }
}
