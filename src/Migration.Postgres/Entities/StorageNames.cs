using Migration.Core.Comparison;
using Migration.Core.Exchange;
using Migration.Core.Storage;

namespace Migration.Postgres.Entities;

/// <summary>The text stored for enum values: Core's one name map of each (<see cref="VerdictNames"/>, <see cref="ErrorClassNames"/>, <see cref="TrafficArmNames"/>).</summary>
public static class StorageNames
{
    /// <summary>Stored text of a verdict: exact, equivalent, similar, different, error.</summary>
    public static string Of(Verdict verdict) => VerdictNames.Of(verdict);

    /// <summary>Stored text of an error class: none, timeout, rate_limited, server_error, ...</summary>
    public static string Of(ErrorClass errorClass) => ErrorClassNames.Of(errorClass);

    /// <summary>Stored text of an arm: primary, canary, shadow.</summary>
    public static string Of(TrafficArm arm) => TrafficArmNames.Of(arm);

    /// <summary>Stored text of a comparison tier: structure, exact, normalized, lexical, semantic, judge, vector.</summary>
    public static string Of(ComparisonTier tier) => tier switch
    {
        ComparisonTier.Structure => "structure",
        ComparisonTier.Exact => "exact",
        ComparisonTier.Normalized => "normalized",
        ComparisonTier.Lexical => "lexical",
        ComparisonTier.Semantic => "semantic",
        ComparisonTier.Judge => "judge",
        ComparisonTier.Vector => "vector",
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, null),
    };

    /// <summary>Stored text of a shadow row's kind: candidate, noise.</summary>
    public static string Of(ShadowKind kind) => kind switch
    {
        ShadowKind.Candidate => "candidate",
        ShadowKind.Noise => "noise",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Parses a stored verdict.</summary>
    public static Verdict ParseVerdict(string value) => VerdictNames.Parse(value);

    /// <summary>Parses a stored error class.</summary>
    public static ErrorClass ParseErrorClass(string value) => ErrorClassNames.Parse(value);

    /// <summary>Parses a stored arm.</summary>
    public static TrafficArm ParseArm(string value) => TrafficArmNames.Parse(value);
}
