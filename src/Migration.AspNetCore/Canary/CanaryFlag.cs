using Migration.Core.Storage;
using Microsoft.FeatureManagement;
using Microsoft.FeatureManagement.FeatureFilters;

namespace Migration.AspNetCore.Canary;

/// <summary>
/// One immutable view of the canary state as this instance routes it: the stored row (null until loaded), the
/// weight and the feature definition FeatureManagement evaluates (built once per change, served as is).
/// </summary>
internal sealed record CanaryFlag
{
    /// <summary>The feature flag's name.</summary>
    public const string FeatureName = "Migration.Canary";

    /// <summary>The targeting filter's alias (Microsoft.FeatureManagement's built-in filter).</summary>
    public const string TargetingFilterName = "Microsoft.Targeting";

    private CanaryFlag(CanaryStoreState? state, DateTimeOffset? loadedAt, string? failSafeReason = null)
    {
        State = state;
        LoadedAt = loadedAt;
        FailSafeReason = failSafeReason;
        Weight = failSafeReason is null ? state?.State.Weight ?? 0 : 0;
        Definition = CreateDefinition(Weight);
    }

    /// <summary>Before the first load: weight 0, nothing goes to the candidate.</summary>
    public static CanaryFlag NotLoaded { get; } = new(null, null);

    /// <summary>The stored row this flag was built from; null until loaded.</summary>
    public CanaryStoreState? State { get; }

    /// <summary>When this instance loaded it (its clock).</summary>
    public DateTimeOffset? LoadedAt { get; }

    /// <summary>
    /// Set while this instance fails safe (the state could not be read for <c>Canary:FailSafeAfter</c>): it routes
    /// at weight 0 whatever the stored weight; null otherwise.
    /// </summary>
    public string? FailSafeReason { get; }

    /// <summary>Percent of requests served by the candidate, 0..100 (0 while failing safe).</summary>
    public double Weight { get; }

    /// <summary>The stored version; -1 until loaded.</summary>
    public long Version => State?.State.Version ?? -1;

    /// <summary>The definition served to FeatureManagement: targeting with <c>DefaultRolloutPercentage</c> = weight.</summary>
    public FeatureDefinition Definition { get; }

    public static CanaryFlag From(CanaryStoreState state, DateTimeOffset loadedAt)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new(state, loadedAt);
    }

    /// <summary>The same stored state, routed at weight 0 for <paramref name="reason"/>.</summary>
    public CanaryFlag FailSafe(string reason) => new(State, LoadedAt, reason);

    private static FeatureDefinition CreateDefinition(double weight) => new()
    {
        Name = FeatureName,
        RequirementType = RequirementType.Any,
        EnabledFor = weight <= 0
            ? []
            :
            [
                new FeatureFilterConfiguration
                {
                    Name = TargetingFilterName,
                    ParametersObject = new TargetingFilterSettings
                    {
                        Audience = new Audience { DefaultRolloutPercentage = Math.Min(weight, 100) },
                    },
                },
            ],
    };
}
