using FluentValidation;
using Migration.Core.Health;

namespace Migration.AspNetCore.Health;

/// <summary>The rules of <see cref="HealthOptions"/>; property names are configuration paths below <c>Migration:Health</c>.</summary>
internal sealed class HealthOptionsValidator : AbstractValidator<HealthOptions>
{
    public HealthOptionsValidator()
    {
        // At most 1 day: timers and connect timeouts take no more (beyond, start-up would fail without a path).
        RuleFor(o => o.Interval).GreaterThan(TimeSpan.Zero).LessThanOrEqualTo(TimeSpan.FromDays(1));
        RuleFor(o => o.Timeout).GreaterThan(TimeSpan.Zero).LessThanOrEqualTo(TimeSpan.FromDays(1));
        RuleFor(o => o.FailureThreshold).GreaterThanOrEqualTo(1);
        RuleFor(o => o.RecoveryThreshold).GreaterThanOrEqualTo(1);
        RuleFor(o => o.Window).GreaterThan(TimeSpan.Zero);
        RuleFor(o => o.MinSamples).GreaterThanOrEqualTo(1);
        RuleFor(o => o.UnhealthySuccessRate).InclusiveBetween(0, 1);
        RuleFor(o => o.DegradedSuccessRate).InclusiveBetween(0, 1)
            .GreaterThanOrEqualTo(o => o.UnhealthySuccessRate).WithMessage("'DegradedSuccessRate' must be at least 'UnhealthySuccessRate'.");
        RuleFor(o => o.DegradedLatency).GreaterThan(TimeSpan.Zero).When(o => o.DegradedLatency is not null);
        RuleFor(o => o.DatabaseTimeout).GreaterThan(TimeSpan.Zero).LessThanOrEqualTo(TimeSpan.FromDays(1));
        RuleFor(o => o.Failover.Cooldown).GreaterThanOrEqualTo(TimeSpan.Zero).LessThanOrEqualTo(TimeSpan.FromDays(1)).OverridePropertyName("Failover:Cooldown");
        RuleFor(o => o.AlertAttempts).InclusiveBetween(1, 10);
        RuleFor(o => o.StatusEventMinInterval).GreaterThanOrEqualTo(TimeSpan.Zero);
        RuleFor(o => o.AlertWebhookUrl)
            .Must(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            .When(o => !string.IsNullOrWhiteSpace(o.AlertWebhookUrl))
            .WithMessage("'AlertWebhookUrl' must be an absolute http(s) URL.");
        RuleFor(o => o.StreamingProbe.Model).NotEmpty().When(o => o.StreamingProbe.Enabled)
            .OverridePropertyName("StreamingProbe:Model").WithMessage("'StreamingProbe:Model' is required when the streaming probe is enabled.");
        RuleFor(o => o.StreamingProbe.Model)
            .Must(m => !ReasoningModels.LooksLikeReasoning(m))
            .When(o => o.StreamingProbe.Enabled && !o.StreamingProbe.AllowReasoningModels)
            .OverridePropertyName("StreamingProbe:Model")
            .WithMessage("'StreamingProbe:Model' looks like a reasoning model; set StreamingProbe:AllowReasoningModels to probe it anyway.");
        RuleFor(o => o.StreamingProbe.Interval).GreaterThanOrEqualTo(TimeSpan.FromSeconds(10)).LessThanOrEqualTo(TimeSpan.FromDays(1))
            .OverridePropertyName("StreamingProbe:Interval");
    }
}
