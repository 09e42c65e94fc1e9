using Microsoft.FeatureManagement;

namespace Migration.AspNetCore.Canary;

/// <summary>
/// Serves the canary flag to FeatureManagement from the in-memory snapshot (<see cref="CanaryStateCache"/>):
/// FeatureManager asks on every evaluation, so this returns the prebuilt immutable definition and never does I/O.
/// </summary>
internal sealed class CanaryFeatureDefinitionProvider : IFeatureDefinitionProvider
{
    private readonly CanaryStateCache _cache;

    public CanaryFeatureDefinitionProvider(CanaryStateCache cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        _cache = cache;
    }

    public Task<FeatureDefinition> GetFeatureDefinitionAsync(string featureName) =>
        Task.FromResult(string.Equals(featureName, CanaryFlag.FeatureName, StringComparison.OrdinalIgnoreCase)
            ? _cache.Current.Definition
            : null!);

    public async IAsyncEnumerable<FeatureDefinition> GetAllFeatureDefinitionsAsync()
    {
        await Task.CompletedTask.ConfigureAwait(false);
        yield return _cache.Current.Definition;
    }
}
