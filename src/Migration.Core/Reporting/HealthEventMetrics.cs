using System.Text.Json;
using System.Text.Json.Serialization;

namespace Migration.Core.Reporting;

/// <summary>
/// The metrics JSON of a health event (a <c>canary_events</c> row with actor <see cref="Actor"/>): written by the
/// harness's failover event publisher, read by <see cref="ProvidersReport"/>. Camel case; null members are left out.
/// </summary>
public sealed record HealthEventMetrics
{
    /// <summary>The actor of health events.</summary>
    public const string Actor = "health";

    /// <summary><see cref="Kind"/> of a provider status change.</summary>
    public const string StatusKind = "status";

    /// <summary><see cref="Kind"/> of an automatic switch of primary-arm traffic to the candidate.</summary>
    public const string FailoverKind = "failover";

    /// <summary><see cref="Kind"/> of an automatic switch back to the primary.</summary>
    public const string FailbackKind = "failback";

    /// <summary><see cref="Direction"/> of a failover.</summary>
    public const string ToCandidate = "to_candidate";

    /// <summary><see cref="Direction"/> of a failback.</summary>
    public const string ToPrimary = "to_primary";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary><see cref="StatusKind"/>, <see cref="FailoverKind"/> or <see cref="FailbackKind"/>; null in events recorded before kinds existed (switches only, see <see cref="Direction"/>).</summary>
    public string? Kind { get; init; }

    /// <summary>Switches: <see cref="ToCandidate"/> or <see cref="ToPrimary"/>; null for status changes.</summary>
    public string? Direction { get; init; }

    /// <summary>Status changes: the provider that changed, <c>primary</c> or <c>candidate</c>.</summary>
    public string? Role { get; init; }

    /// <summary>Status changes: the status before (<c>unknown</c>, <c>healthy</c>, <c>degraded</c>, <c>unhealthy</c>).</summary>
    public string? From { get; init; }

    /// <summary>Status changes: the status after.</summary>
    public string? To { get; init; }

    /// <summary>The harness instance that saw it; null when unknown.</summary>
    public string? Instance { get; init; }

    /// <summary>Status changes: whether primary-arm traffic was failed over to the candidate at the time.</summary>
    public bool? FailoverActive { get; init; }

    /// <summary>Status changes: when the route last switched (either way); null before any switch.</summary>
    public DateTimeOffset? FailoverSince { get; init; }

    /// <summary>Status changes: the reason of the last switch; null before any switch.</summary>
    public string? FailoverReason { get; init; }

    /// <summary>The primary's numbers at the time.</summary>
    public HealthEventProvider? Primary { get; init; }

    /// <summary>The candidate's numbers at the time.</summary>
    public HealthEventProvider? Candidate { get; init; }

    /// <summary>Whether this is an automatic switch (either way), including events recorded before kinds existed.</summary>
    [JsonIgnore]
    public bool IsSwitch => Kind is FailoverKind or FailbackKind || (Kind is null && Direction is not null);

    /// <summary>Whether this is a provider status change.</summary>
    [JsonIgnore]
    public bool IsStatusChange => Kind == StatusKind;

    /// <summary>The JSON stored with the event.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads stored metrics; null for null or unreadable JSON (an audit row must never break a report).</summary>
    public static HealthEventMetrics? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<HealthEventMetrics>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
