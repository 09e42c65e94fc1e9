namespace Migration.Load.Tests.Support;

/// <summary>Tests that measure latency run one at a time, so that they do not load the machine for each other.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "timing";
}
