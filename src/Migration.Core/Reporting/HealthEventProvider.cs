namespace Migration.Core.Reporting;

/// <summary>One provider's health numbers in a health event.</summary>
public sealed record HealthEventProvider
{
    /// <summary>The provider's display name.</summary>
    public string? Name { get; init; }

    /// <summary><c>unknown</c>, <c>healthy</c>, <c>degraded</c> or <c>unhealthy</c>.</summary>
    public string? Status { get; init; }

    /// <summary>When the provider entered <see cref="Status"/>.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Failures in a row.</summary>
    public int ConsecutiveFailures { get; init; }

    /// <summary>Successes in a row.</summary>
    public int ConsecutiveSuccesses { get; init; }

    /// <summary>Samples in the health window.</summary>
    public int Samples { get; init; }

    /// <summary>Success rate over the window, 0..1; null without samples.</summary>
    public double? SuccessRate { get; init; }

    /// <summary>Moving average latency of successful calls, ms; null before the first success.</summary>
    public double? AverageLatencyMs { get; init; }

    /// <summary>The last failure's description; null before any.</summary>
    public string? LastError { get; init; }
}
