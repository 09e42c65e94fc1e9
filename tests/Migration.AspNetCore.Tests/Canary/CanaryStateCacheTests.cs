using Migration.AspNetCore.Canary;
using Migration.Core.Canary;
using Migration.Core.Storage;

namespace Migration.AspNetCore.Tests.Canary;

public sealed class CanaryStateCacheTests
{
    [Fact]
    public void Current_BeforeAnyLoad_WeightZeroAndFlagDisabled()
    {
        var cache = new CanaryStateCache();

        Assert.Equal(0, cache.Current.Weight);
        Assert.Null(cache.Current.State);
        Assert.Empty(cache.Current.Definition.EnabledFor);
    }

    [Fact]
    public void Update_OlderVersionAfterNewer_KeepsTheNewer()
    {
        var cache = new CanaryStateCache();

        Assert.True(cache.Update(State(25, 5), DateTimeOffset.UnixEpoch));
        Assert.False(cache.Update(State(10, 4), DateTimeOffset.UnixEpoch));

        Assert.Equal(25, cache.Current.Weight);
        Assert.Equal(5, cache.Current.Version);
    }

    [Fact]
    public void Update_RowRecreatedWithALowerVersion_InstalledWhenReadTwice()
    {
        var cache = new CanaryStateCache();
        cache.Update(State(25, 40), DateTimeOffset.UnixEpoch);
        (double From, double To)? seen = null;
        cache.Changed += (from, to) => seen = (from.Weight, to.Weight);

        // canary_state deleted and created again: version 1, weight 0; every later read returns it.
        Assert.False(cache.Update(State(0, 1), DateTimeOffset.UnixEpoch));
        Assert.True(cache.Update(State(0, 1), DateTimeOffset.UnixEpoch));

        Assert.Equal((0, 1L), (cache.Current.Weight, cache.Current.Version));
        Assert.Equal((25d, 0d), seen);
        Assert.True(cache.Update(State(5, 2), DateTimeOffset.UnixEpoch));
        Assert.Equal(5, cache.Current.Weight);
    }

    [Fact]
    public void Update_OlderReadBetweenNewerReads_NeverInstalled()
    {
        var cache = new CanaryStateCache();
        cache.Update(State(25, 5), DateTimeOffset.UnixEpoch);

        Assert.False(cache.Update(State(10, 4), DateTimeOffset.UnixEpoch));
        cache.Update(State(25, 5), DateTimeOffset.UnixEpoch);
        Assert.False(cache.Update(State(10, 4), DateTimeOffset.UnixEpoch));

        Assert.Equal((25d, 5L), (cache.Current.Weight, cache.Current.Version));
    }

    [Fact]
    public void Update_NewerVersion_RaisesChangedAndServesANewDefinition()
    {
        var cache = new CanaryStateCache();
        cache.Update(State(10, 1), DateTimeOffset.UnixEpoch);
        var before = cache.Current.Definition;
        (double From, double To)? seen = null;
        cache.Changed += (from, to) => seen = (from.Weight, to.Weight);

        cache.Update(State(0, 2), DateTimeOffset.UnixEpoch);

        Assert.Equal((10d, 0d), seen);
        Assert.NotSame(before, cache.Current.Definition);
        Assert.Empty(cache.Current.Definition.EnabledFor);
    }

    [Fact]
    public async Task GetFeatureDefinitionAsync_SameState_ReturnsTheSameImmutableInstance()
    {
        var cache = new CanaryStateCache();
        cache.Update(State(10, 1), DateTimeOffset.UnixEpoch);
        var provider = new CanaryFeatureDefinitionProvider(cache);

        var first = await provider.GetFeatureDefinitionAsync(CanaryFlag.FeatureName);
        var second = await provider.GetFeatureDefinitionAsync(CanaryFlag.FeatureName);

        Assert.Same(first, second);
        Assert.Equal(CanaryFlag.TargetingFilterName, Assert.Single(first.EnabledFor).Name);
        Assert.Null(await provider.GetFeatureDefinitionAsync("Other.Flag"));
    }

    internal static CanaryStoreState State(double weight, long version) => new()
    {
        Migration = ICanaryStateStore.DefaultMigration,
        State = CanaryState.Initial with
        {
            Phase = weight > 0 ? CanaryPhase.Ramping : CanaryPhase.RolledBack,
            Weight = weight,
            StepIndex = weight > 0 ? 0 : -1,
            StepStartedAt = weight > 0 ? DateTimeOffset.UnixEpoch : null,
            Version = version,
        },
    };
}
