namespace Migration.Load.Driver;

/// <summary>One invocation's context; holds the first-byte timestamp.</summary>
internal sealed class StepContext : IStepContext
{
    private readonly ScenarioStats? _stats;
    private readonly TimeProvider _time;
    private long _firstByte;

    public StepContext(string scenarioName, long invocationNumber, ScenarioStats? stats, CancellationToken cancellationToken, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        ScenarioName = scenarioName;
        InvocationNumber = invocationNumber;
        CancellationToken = cancellationToken;
        _stats = stats;
    }

    public string ScenarioName { get; }

    public long InvocationNumber { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>Timestamp of the first byte, or 0 when not marked.</summary>
    public long FirstByteTimestamp => Interlocked.Read(ref _firstByte);

    public void MarkFirstByte() => Interlocked.CompareExchange(ref _firstByte, _time.GetTimestamp(), 0);

    public void Record(string metric, TimeSpan value)
    {
        ArgumentException.ThrowIfNullOrEmpty(metric);
        _stats?.AddCustom(metric, value.Ticks / TimeSpan.TicksPerMicrosecond);
    }
}
