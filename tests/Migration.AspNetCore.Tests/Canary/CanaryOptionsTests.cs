using Microsoft.Extensions.Options;
using Migration.AspNetCore.Configuration;
using Migration.AspNetCore.Tests.Infrastructure;

namespace Migration.AspNetCore.Tests.Canary;

public sealed class CanaryOptionsTests
{
    [Fact]
    public void Validate_BadCanarySection_ListsEveryProblemWithItsPath()
    {
        using var services = new HarnessServices(o =>
        {
            o.Canary.Steps = [10, 5, 100];
            o.Canary.MinRequests = 0;
            o.Canary.MaxErrorRate = 2;
            o.Canary.StickyKey = "cookie:id";
            o.Canary.AlertWebhookUrl = "not a url";
            o.Canary.PollInterval = TimeSpan.Zero;
            o.Canary.FailSafeAfter = TimeSpan.FromSeconds(-1);
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.Get<IOptions<MigrationHarnessOptions>>().Value);

        Assert.Contains("Migration:Canary:Steps:1: must be greater than the previous step (10)", error.Failures);
        Assert.Contains("Migration:Canary:MinRequests: must be at least 1 (was 0)", error.Failures);
        Assert.Contains("Migration:Canary:MaxErrorRate: must be within [0, 1] (was 2)", error.Failures);
        Assert.Contains("Migration:Canary:StickyKey: must be 'header:NAME' or 'claim:TYPE' (got 'cookie:id')", error.Failures);
        Assert.Contains("Migration:Canary:AlertWebhookUrl: must be an absolute http or https URL (got 'not a url')", error.Failures);
        Assert.Contains(error.Failures, f => f.StartsWith("Migration:Canary:PollInterval: must be positive", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Migration:Canary:FailSafeAfter: must be longer than Canary:PollInterval", StringComparison.Ordinal));
    }

    [Fact]
    public void FailSafeAfter_NotSet_SixPollIntervals()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), new CanaryOptions().EffectiveFailSafeAfter);
        Assert.Equal(TimeSpan.FromMinutes(60), new CanaryOptions { PollInterval = TimeSpan.FromMinutes(10) }.EffectiveFailSafeAfter);
        Assert.Equal(TimeSpan.FromSeconds(7), new CanaryOptions { FailSafeAfter = TimeSpan.FromSeconds(7) }.EffectiveFailSafeAfter);
    }

    [Fact]
    public void ToPolicyOptions_CopiesEveryPolicyField()
    {
        var options = new CanaryOptions
        {
            Steps = [1, 100],
            StepHold = TimeSpan.FromSeconds(2),
            MinRequests = 3,
            Interval = TimeSpan.FromSeconds(4),
            Window = TimeSpan.FromSeconds(5),
            MaxErrorRate = 0.06,
            MaxP99 = TimeSpan.FromSeconds(7),
            MinSuccessRate = 0.8,
            ErrorRateZ = 3,
            MinErrorRateDelta = 0.02,
            MaxP99Ratio = 3,
            MinPrimaryRequestsForComparison = 11,
            RollbackWhilePaused = false,
        };

        var policy = options.ToPolicyOptions();

        Assert.Equal([1d, 100d], policy.EffectiveSteps);
        Assert.Equal((TimeSpan.FromSeconds(2), 3, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5)), (policy.StepHold, policy.MinRequests, policy.Interval, policy.Window));
        Assert.Equal((0.06, TimeSpan.FromSeconds(7), 0.8, 3d, 0.02, 3d, 11, false),
            (policy.MaxErrorRate, policy.MaxP99, policy.MinSuccessRate, policy.ErrorRateZ, policy.MinErrorRateDelta, policy.MaxP99Ratio, policy.MinPrimaryRequestsForComparison, policy.RollbackWhilePaused));
    }
}
