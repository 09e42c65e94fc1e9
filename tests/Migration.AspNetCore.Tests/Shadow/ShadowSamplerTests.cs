using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Migration.AspNetCore.Configuration;
using Migration.AspNetCore.Shadow;

namespace Migration.AspNetCore.Tests.Shadow;

public class ShadowSamplerTests
{
    private static ShadowSampler Create(string? stickyKey) =>
        new(Options.Create(new MigrationHarnessOptions { Shadow = { StickyKey = stickyKey } }));

    private static HttpContext WithHeader(string name, string value)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers[name] = value;
        return context;
    }

    [Fact]
    public void ShouldSample_StickyHeader_SameUserAlwaysGetsTheSameAnswer()
    {
        var sampler = Create("header:X-User-Id");
        for (var user = 0; user < 50; user++)
        {
            var first = sampler.ShouldSample(WithHeader("X-User-Id", "user-" + user), 0.3);
            for (var i = 0; i < 20; i++)
            {
                Assert.Equal(first, sampler.ShouldSample(WithHeader("X-User-Id", "user-" + user), 0.3));
            }
        }
    }

    [Fact]
    public void ShouldSample_StickyHeader_SamplesAboutTheRateOfUsers()
    {
        var sampler = Create("header:X-User-Id");

        var sampled = Enumerable.Range(0, 10_000).Count(u => sampler.ShouldSample(WithHeader("X-User-Id", "user-" + u), 0.25));

        Assert.InRange(sampled, 2_250, 2_750);
    }

    [Fact]
    public void ShouldSample_RaisingTheRate_KeepsEveryUserAlreadyIn()
    {
        var sampler = Create("header:X-User-Id");
        var users = Enumerable.Range(0, 2_000).Select(u => "user-" + u).ToList();

        var atTen = users.Where(u => sampler.ShouldSample(WithHeader("X-User-Id", u), 0.10)).ToList();
        var atFifty = users.Where(u => sampler.ShouldSample(WithHeader("X-User-Id", u), 0.50)).ToHashSet();

        Assert.All(atTen, u => Assert.Contains(u, atFifty));
        Assert.True(atFifty.Count > atTen.Count);
    }

    [Fact]
    public void ShouldSample_StickyClaim_UsesTheClaimValue()
    {
        var sampler = Create("claim:sub");
        var context = new DefaultHttpContext { User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "alice")], "test")) };

        var expected = ShadowSampler.BucketOf("alice") < 0.5 * ShadowSampler.Buckets;

        Assert.Equal(expected, sampler.ShouldSample(context, 0.5));
    }

    [Theory]
    [InlineData(0.0, false)]
    [InlineData(1.0, true)]
    public void ShouldSample_RateAtTheEnds_IsAlwaysOrNever(double rate, bool expected)
    {
        var sampler = Create(null);

        Assert.All(Enumerable.Range(0, 100), _ => Assert.Equal(expected, sampler.ShouldSample(new DefaultHttpContext(), rate)));
    }

    [Fact]
    public void ShouldSample_NoKey_DrawsPerRequest()
    {
        var sampler = Create(null);

        var sampled = Enumerable.Range(0, 10_000).Count(_ => sampler.ShouldSample(new DefaultHttpContext(), 0.5));

        Assert.InRange(sampled, 4_500, 5_500);
    }
}
