namespace Migration.Core.Reporting;

/// <summary>Whether the candidate is ready to take live traffic.</summary>
public enum Recommendation
{
    /// <summary>Not enough compared requests to say.</summary>
    InsufficientData = 0,

    /// <summary>Every readiness criterion is met.</summary>
    Ready = 1,

    /// <summary>Enough data, but at least one criterion failed.</summary>
    NeedsTuning = 2,
}
