namespace Migration.Core.Comparison;

/// <summary>How closely the candidate's answer matched the primary's.</summary>
public enum Verdict
{
    /// <summary>Same content byte for byte (ignoring id, created, system_fingerprint), same finish reason and tool calls.</summary>
    Exact = 0,

    /// <summary>Same after normalising whitespace, case and punctuation; tool call arguments equal as JSON.</summary>
    Equivalent = 1,

    /// <summary>Lexical similarity at or above the "similar" threshold.</summary>
    Similar = 2,

    /// <summary>Below the threshold, or a different finish reason / tool call.</summary>
    Different = 3,

    /// <summary>At least one side failed, so nothing could be compared.</summary>
    Error = 4,
}
