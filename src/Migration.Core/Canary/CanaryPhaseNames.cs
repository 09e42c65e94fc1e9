using System.Diagnostics.CodeAnalysis;

namespace Migration.Core.Canary;

/// <summary>The stable lowercase names of <see cref="CanaryPhase"/> used in storage, the API and the CLI.</summary>
public static class CanaryPhaseNames
{
    /// <summary><c>idle</c>.</summary>
    public const string Idle = "idle";

    /// <summary><c>shadow</c>.</summary>
    public const string Shadow = "shadow";

    /// <summary><c>ramping</c>.</summary>
    public const string Ramping = "ramping";

    /// <summary><c>paused</c>.</summary>
    public const string Paused = "paused";

    /// <summary><c>rolled_back</c>.</summary>
    public const string RolledBack = "rolled_back";

    /// <summary><c>promoted</c>.</summary>
    public const string Promoted = "promoted";

    /// <summary>The stored name of a phase.</summary>
    public static string ToName(this CanaryPhase phase) => phase switch
    {
        CanaryPhase.Idle => Idle,
        CanaryPhase.Shadow => Shadow,
        CanaryPhase.Ramping => Ramping,
        CanaryPhase.Paused => Paused,
        CanaryPhase.RolledBack => RolledBack,
        CanaryPhase.Promoted => Promoted,
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, "Unknown canary phase."),
    };

    /// <summary>Parses a stored name (exact, lowercase). False for anything else.</summary>
    public static bool TryParse([NotNullWhen(true)] string? name, out CanaryPhase phase)
    {
        switch (name)
        {
            case Idle: phase = CanaryPhase.Idle; return true;
            case Shadow: phase = CanaryPhase.Shadow; return true;
            case Ramping: phase = CanaryPhase.Ramping; return true;
            case Paused: phase = CanaryPhase.Paused; return true;
            case RolledBack: phase = CanaryPhase.RolledBack; return true;
            case Promoted: phase = CanaryPhase.Promoted; return true;
            default: phase = default; return false;
        }
    }
}
