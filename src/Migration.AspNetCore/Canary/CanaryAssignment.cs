using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.FeatureManagement;
using Microsoft.FeatureManagement.FeatureFilters;
using Migration.AspNetCore.Configuration;
using Migration.AspNetCore.Shadow;

namespace Migration.AspNetCore.Canary;

/// <summary>
/// Decides whether one request goes to the candidate at the current weight. With a sticky key (header or claim)
/// the decision is FeatureManagement's targeting filter on the key (<c>DefaultRolloutPercentage</c> = weight):
/// it hashes "key\nMigration.Canary" to a fixed point in [0, 100) and targets it when the point is below the
/// percentage, so a key keeps its arm at a fixed weight and, being below 10, is still below 25 when the weight
/// rises. Without a key the request is drawn at random with the weight as probability.
/// </summary>
/// <remarks>
/// The flag is evaluated by a FeatureManager of the harness's own (our definition provider + the contextual
/// targeting filter, the targeting context passed per call) rather than the host's <see cref="IFeatureManager"/>:
/// a drop-in must not replace the host's own flag definitions, and passing the context explicitly needs no
/// <c>IHttpContextAccessor</c> on the hot path.
/// </remarks>
internal sealed class CanaryAssignment
{
    private readonly FeatureManager _features;
    private readonly StickyKey? _stickyKey;

    public CanaryAssignment(CanaryFeatureDefinitionProvider definitions, IOptions<MigrationHarnessOptions> options, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        _ = StickyKey.TryParse(options.Value.Canary.StickyKey, out _stickyKey);
        _features = new FeatureManager(definitions, new FeatureManagementOptions { IgnoreMissingFeatureFilters = false })
        {
            FeatureFilters = [new ContextualTargetingFilter(Options.Create(new TargetingEvaluationOptions()), loggers)],
            Logger = loggers.CreateLogger<FeatureManager>(),
        };
    }

    /// <summary>The sticky key of <paramref name="context"/>, or null when none is configured or the request has none.</summary>
    public string? KeyOf(HttpContext context) => _stickyKey?.ValueOf(context);

    /// <summary>True when this request is served by the candidate at <paramref name="weight"/> percent.</summary>
    public ValueTask<bool> IsCanaryAsync(HttpContext context, double weight)
    {
        ArgumentNullException.ThrowIfNull(context);
        return IsCanaryAsync(weight is > 0 and < 100 ? KeyOf(context) : null, weight, context.RequestAborted);
    }

    /// <summary>
    /// True when a request with sticky key <paramref name="key"/> is served by the candidate at
    /// <paramref name="weight"/> percent; without a key the request is drawn at random.
    /// </summary>
    public ValueTask<bool> IsCanaryAsync(string? key, double weight, CancellationToken cancellationToken)
    {
        if (weight <= 0)
        {
            return ValueTask.FromResult(false);
        }

        if (weight >= 100)
        {
            return ValueTask.FromResult(true);
        }

        return key is null
            ? ValueTask.FromResult(Random.Shared.NextDouble() * 100 < weight)
            : IsTargetedAsync(key, cancellationToken);
    }

    /// <summary>The flag's value for a key at the weight currently served by the definition provider.</summary>
    internal ValueTask<bool> IsTargetedAsync(string key, CancellationToken cancellationToken) =>
        _features.IsEnabledAsync(CanaryFlag.FeatureName, new TargetingContext { UserId = key }, cancellationToken);
}
