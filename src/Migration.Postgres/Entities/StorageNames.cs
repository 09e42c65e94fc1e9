using Migration.Core.Comparison;
using Migration.Core.Exchange;

namespace Migration.Postgres.Entities;

/// <summary>The text stored for enum values (lowercase, snake case), and back.</summary>
public static class StorageNames
{
    /// <summary>Stored text of a verdict: exact, equivalent, similar, different, error.</summary>
    public static string Of(Verdict verdict) => verdict switch
    {
        Verdict.Exact => "exact",
        Verdict.Equivalent => "equivalent",
        Verdict.Similar => "similar",
        Verdict.Different => "different",
        Verdict.Error => "error",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, null),
    };

    /// <summary>Stored text of an error class: none, timeout, rate_limited, server_error, ...</summary>
    public static string Of(ErrorClass errorClass) => errorClass switch
    {
        ErrorClass.None => "none",
        ErrorClass.Timeout => "timeout",
        ErrorClass.RateLimited => "rate_limited",
        ErrorClass.ServerError => "server_error",
        ErrorClass.ClientError => "client_error",
        ErrorClass.Connection => "connection",
        ErrorClass.Fallback => "fallback",
        ErrorClass.TruncatedStream => "truncated_stream",
        ErrorClass.MalformedResponse => "malformed_response",
        ErrorClass.Other => "other",
        _ => throw new ArgumentOutOfRangeException(nameof(errorClass), errorClass, null),
    };

    /// <summary>Stored text of an arm: primary, canary, shadow.</summary>
    public static string Of(TrafficArm arm) => arm switch
    {
        TrafficArm.Primary => "primary",
        TrafficArm.Canary => "canary",
        TrafficArm.Shadow => "shadow",
        _ => throw new ArgumentOutOfRangeException(nameof(arm), arm, null),
    };

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

    /// <summary>Parses a stored verdict.</summary>
    public static Verdict ParseVerdict(string value) =>
        Enum.GetValues<Verdict>().First(v => Of(v) == value);

    /// <summary>Parses a stored error class.</summary>
    public static ErrorClass ParseErrorClass(string value) =>
        Enum.GetValues<ErrorClass>().First(v => Of(v) == value);

    /// <summary>Parses a stored arm.</summary>
    public static TrafficArm ParseArm(string value) =>
        Enum.GetValues<TrafficArm>().First(v => Of(v) == value);
}
