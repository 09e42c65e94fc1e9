namespace Migration.Core.Exchange;

/// <summary>The one text form of each <see cref="TrafficArm"/>: primary, canary, shadow, failover (storage, metrics, reports).</summary>
public static class TrafficArmNames
{
    /// <summary>The text of <paramref name="arm"/>.</summary>
    public static string Of(TrafficArm arm) => arm switch
    {
        TrafficArm.Primary => "primary",
        TrafficArm.Canary => "canary",
        TrafficArm.Shadow => "shadow",
        TrafficArm.Failover => "failover",
        _ => throw new ArgumentOutOfRangeException(nameof(arm), arm, null),
    };

    /// <summary>The arm named <paramref name="value"/> (as <see cref="Of"/> writes it).</summary>
    /// <exception cref="InvalidOperationException">No arm has that name.</exception>
    public static TrafficArm Parse(string value) =>
        Enum.GetValues<TrafficArm>().First(v => Of(v) == value);
}
