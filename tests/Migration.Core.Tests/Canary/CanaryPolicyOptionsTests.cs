using Migration.Core.Canary;

namespace Migration.Core.Tests.Canary;

public class CanaryPolicyOptionsTests
{
    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var options = new CanaryPolicyOptions();

        Assert.Empty(options.Steps);
        Assert.Equal([5.0, 10, 25, 50, 100], options.EffectiveSteps);
        Assert.Equal(TimeSpan.FromMinutes(5), options.StepHold);
        Assert.Equal(200, options.MinRequests);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Interval);
        Assert.Equal(TimeSpan.FromMinutes(1), options.Window);
        Assert.Equal(0.05, options.MaxErrorRate);
        Assert.Equal(TimeSpan.FromSeconds(5), options.MaxP99);
        Assert.Equal(0.95, options.MinSuccessRate);
        Assert.Equal(2.326, options.ErrorRateZ);
        Assert.Equal(0.01, options.MinErrorRateDelta);
        Assert.Equal(2.0, options.MaxP99Ratio);
        Assert.Equal(200, options.MinPrimaryRequestsForComparison);
        Assert.True(options.RollbackWhilePaused);
    }

    [Fact]
    public void Validate_Defaults_NoProblems()
    {
        Assert.Empty(new CanaryPolicyOptions().Validate("Migration:Canary"));
    }

    [Fact]
    public void EffectiveSteps_Configured_AreUsedInsteadOfDefaults()
    {
        var options = new CanaryPolicyOptions { Steps = [1, 100] };

        Assert.Equal([1.0, 100], options.EffectiveSteps);
        Assert.Empty(options.Validate("Canary"));
    }

    [Theory]
    [InlineData(new double[] { 5, 5, 100 }, "Canary:Steps[1] must be greater than the previous step (5)")]
    [InlineData(new double[] { 5, 25, 10, 100 }, "Canary:Steps[2] must be greater than the previous step (25)")]
    [InlineData(new double[] { 5, 10, 50 }, "Canary:Steps must end with 100 (the last step is 50)")]
    [InlineData(new double[] { 0, 100 }, "Canary:Steps[0] must be within (0, 100] percent (was 0)")]
    [InlineData(new double[] { -5, 100 }, "Canary:Steps[0] must be within (0, 100] percent (was -5)")]
    [InlineData(new double[] { 50, 150 }, "Canary:Steps[1] must be within (0, 100] percent (was 150)")]
    [InlineData(new double[] { double.NaN, 100 }, "Canary:Steps[0] must be within (0, 100] percent (was NaN)")]
    public void Validate_BadSteps_NamesTheStep(double[] steps, string problem)
    {
        var problems = new CanaryPolicyOptions { Steps = steps }.Validate("Canary");

        Assert.Contains(problem, problems);
    }

    [Fact]
    public void Validate_EverythingWrong_ListsEveryProblemWithItsPath()
    {
        var options = new CanaryPolicyOptions
        {
            Steps = [10, 5],
            StepHold = TimeSpan.Zero,
            MinRequests = 0,
            Interval = TimeSpan.FromSeconds(-1),
            Window = TimeSpan.Zero,
            MaxErrorRate = 1.5,
            MaxP99 = TimeSpan.Zero,
            MinSuccessRate = -0.1,
            ErrorRateZ = 0,
            MinErrorRateDelta = 2,
            MaxP99Ratio = 0.5,
            MinPrimaryRequestsForComparison = 0,
        };

        var problems = options.Validate("Migration:Canary");

        Assert.Equal(
        [
            "Migration:Canary:Steps[1] must be greater than the previous step (10)",
            "Migration:Canary:Steps must end with 100 (the last step is 5)",
            "Migration:Canary:StepHold must be positive (was 00:00:00)",
            "Migration:Canary:MinRequests must be at least 1 (was 0)",
            "Migration:Canary:Interval must be positive (was -00:00:01)",
            "Migration:Canary:Window must be positive (was 00:00:00)",
            "Migration:Canary:MaxErrorRate must be within [0, 1] (was 1.5)",
            "Migration:Canary:MaxP99 must be positive (was 00:00:00)",
            "Migration:Canary:MinSuccessRate must be within [0, 1] (was -0.1)",
            "Migration:Canary:ErrorRateZ must be a positive number (was 0)",
            "Migration:Canary:MinErrorRateDelta must be within [0, 1] (was 2)",
            "Migration:Canary:MaxP99Ratio must be at least 1 (was 0.5)",
            "Migration:Canary:MinPrimaryRequestsForComparison must be at least 1 (was 0)",
        ], problems);
    }

    [Fact]
    public void Validate_EmptyPrefix_UsesBareNames()
    {
        var problems = new CanaryPolicyOptions { MinRequests = -1 }.Validate(string.Empty);

        Assert.Equal(["MinRequests must be at least 1 (was -1)"], problems);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void Validate_RatesAtTheirLimits_AreAccepted(double rate)
    {
        var options = new CanaryPolicyOptions { MaxErrorRate = rate, MinSuccessRate = rate, MinErrorRateDelta = rate, MaxP99Ratio = 1 };

        Assert.Empty(options.Validate("Canary"));
    }
}
