using System.Net;
using Microsoft.AspNetCore.Http;
using Migration.AspNetCore.Canary;
using Migration.AspNetCore.Routing;
using Migration.AspNetCore.Tests.Infrastructure;
using Migration.AspNetCore.Tests.Routing;

namespace Migration.AspNetCore.Tests.Canary;

/// <summary>Who is on the candidate: the targeting filter with a sticky key, random draws without one.</summary>
public sealed class CanaryAssignmentTests
{
    [Fact]
    public async Task IsTargetedAsync_TenThousandKeysAtWeight10_ShareWithinOnePercentagePoint()
    {
        using var services = Services(out var cache);
        var assignment = services.Get<CanaryAssignment>();
        Install(cache, 10);

        var on = 0;
        for (var i = 0; i < 10_000; i++)
        {
            on += await assignment.IsTargetedAsync("user-" + i, CancellationToken.None) ? 1 : 0;
        }

        Assert.InRange(on / 100.0, 9.0, 11.0);
    }

    [Fact]
    public async Task IsCanaryAsync_NoKeyAtWeight10_ShareWithinOnePercentagePoint()
    {
        using var services = Services(out _);
        var assignment = services.Get<CanaryAssignment>();
        var context = new DefaultHttpContext();

        var on = 0;
        const int draws = 20_000;
        for (var i = 0; i < draws; i++)
        {
            on += await assignment.IsCanaryAsync(context, 10) ? 1 : 0;
        }

        // 20,000 independent draws at p = 0.1: one standard deviation is 0.21 pp, so ±1 pp is 4.7 sigma.
        Assert.InRange(on * 100.0 / draws, 9.0, 11.0);
    }

    [Fact]
    public async Task IsTargetedAsync_WeightRisesFrom10To25_EveryKeyOnTheCandidateStaysAndNoneLeaves()
    {
        using var services = Services(out var cache);
        var assignment = services.Get<CanaryAssignment>();
        var keys = Enumerable.Range(0, 5_000).Select(i => "u" + i).ToList();

        Install(cache, 10, version: 1);
        var atTen = await OnAsync(assignment, keys);
        var again = await OnAsync(assignment, keys);
        Install(cache, 25, version: 2);
        var atTwentyFive = await OnAsync(assignment, keys);

        Assert.Equal(atTen, again);
        Assert.Subset(atTwentyFive, atTen);
        Assert.InRange(atTwentyFive.Count, 1_100, 1_400);
        Assert.True(atTwentyFive.Count > atTen.Count);
    }

    [Fact]
    public async Task IsCanaryAsync_StickyHeader_SameUserAlwaysGetsTheSameArm()
    {
        using var services = Services(out var cache);
        var assignment = services.Get<CanaryAssignment>();
        Install(cache, 50);

        for (var i = 0; i < 200; i++)
        {
            var context = new DefaultHttpContext();
            context.Request.Headers["X-User-Id"] = "user-" + i;
            var first = await assignment.IsCanaryAsync(context, 50);
            for (var n = 0; n < 5; n++)
            {
                Assert.Equal(first, await assignment.IsCanaryAsync(context, 50));
            }
        }
    }

    [Fact]
    public async Task IsCanaryAsync_WeightZeroOr100_NoneOrAll()
    {
        using var services = Services(out _);
        var assignment = services.Get<CanaryAssignment>();
        var context = new DefaultHttpContext();
        context.Request.Headers["X-User-Id"] = "someone";

        Assert.False(await assignment.IsCanaryAsync(context, 0));
        Assert.True(await assignment.IsCanaryAsync(context, 100));
    }

    [Fact]
    public async Task Middleware_StickyUsersAtWeight10_AboutTenPercentServedByCandidateAndStable()
    {
        await using var app = await CanaryApp.StartAsync(o => o.Canary.StickyKey = "header:X-User-Id");
        app.SetWeight(10);
        using var client = app.CreateClient();

        var onCandidate = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 600; i++)
        {
            using var response = await CandidateForwarderTests.PostChatAsync(client, "user-" + i);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            if (response.Headers.Contains(CandidateForwarder.ServedByHeader))
            {
                onCandidate.Add("user-" + i);
            }
        }

        foreach (var user in onCandidate.Take(20))
        {
            using var response = await CandidateForwarderTests.PostChatAsync(client, user);
            Assert.True(response.Headers.Contains(CandidateForwarder.ServedByHeader));
        }

        Assert.InRange(onCandidate.Count, 36, 84);
    }

    private static HarnessServices Services(out CanaryStateCache cache)
    {
        var services = new HarnessServices(o => o.Canary.StickyKey = "header:X-User-Id");
        cache = services.Get<CanaryStateCache>();
        return services;
    }

    private static void Install(CanaryStateCache cache, double weight, long version = 1) =>
        Assert.True(cache.Update(CanaryStateCacheTests.State(weight, version), DateTimeOffset.UnixEpoch));

    private static async Task<HashSet<string>> OnAsync(CanaryAssignment assignment, IEnumerable<string> keys)
    {
        var on = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (await assignment.IsTargetedAsync(key, CancellationToken.None))
            {
                on.Add(key);
            }
        }

        return on;
    }
}
