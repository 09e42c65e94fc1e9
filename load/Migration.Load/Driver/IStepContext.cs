namespace Migration.Load.Driver;

/// <summary>What a step sees of the run.</summary>
internal interface IStepContext
{
    /// <summary>Name of the running scenario.</summary>
    string ScenarioName { get; }

    /// <summary>0-based number of this invocation within the current phase.</summary>
    long InvocationNumber { get; }

    /// <summary>Cancelled when the step timeout passes or the run is aborted.</summary>
    CancellationToken CancellationToken { get; }

    /// <summary>
    /// Marks the first byte (token) of the answer: TTFT is the time from the intended send time to this call.
    /// Only the first call counts.
    /// </summary>
    void MarkFirstByte();

    /// <summary>Records a value into a named custom histogram of the scenario (e.g. an inter-chunk gap).</summary>
    void Record(string metric, TimeSpan value);
}
