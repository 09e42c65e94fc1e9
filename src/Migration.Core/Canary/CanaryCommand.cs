using System.Diagnostics.CodeAnalysis;

namespace Migration.Core.Canary;

/// <summary>
/// A command for <see cref="CanaryPolicy.Apply"/>. Build one with the factory methods; invalid arguments throw
/// <see cref="ArgumentOutOfRangeException"/> here (the admin API maps that to 400), while a command the current
/// state forbids comes back from <see cref="CanaryPolicy.Apply"/> as <see cref="CanaryDecisionKind.Rejected"/> (409).
/// </summary>
public sealed record CanaryCommand
{
    private CanaryCommand(CanaryCommandKind kind, double? weight, string? note)
    {
        Kind = kind;
        Weight = weight;
        Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
    }

    /// <summary>The command.</summary>
    public CanaryCommandKind Kind { get; }

    /// <summary>For <see cref="CanaryCommandKind.SetWeight"/>: the weight in percent, 0..100.</summary>
    public double? Weight { get; }

    /// <summary>The operator's reason or note; part of the resulting state's reason.</summary>
    public string? Note { get; }

    /// <summary>Begin the ramp.</summary>
    public static CanaryCommand Start(string? note = null) => new(CanaryCommandKind.Start, null, note);

    /// <summary>Hold the current weight.</summary>
    public static CanaryCommand Pause(string? note = null) => new(CanaryCommandKind.Pause, null, note);

    /// <summary>Continue a paused ramp.</summary>
    public static CanaryCommand Resume(string? note = null) => new(CanaryCommandKind.Resume, null, note);

    /// <summary>Next step.</summary>
    public static CanaryCommand Promote(string? note = null) => new(CanaryCommandKind.Promote, null, note);

    /// <summary>Straight to 100 %.</summary>
    public static CanaryCommand PromoteFull(string? note = null) => new(CanaryCommandKind.PromoteFull, null, note);

    /// <summary>Weight 0 at once.</summary>
    public static CanaryCommand Rollback(string? reason = null) => new(CanaryCommandKind.Rollback, null, reason);

    /// <summary>Start again after a rollback.</summary>
    public static CanaryCommand Retry(string? note = null) => new(CanaryCommandKind.Retry, null, note);

    /// <summary>Back to idle.</summary>
    public static CanaryCommand Reset(string? note = null) => new(CanaryCommandKind.Reset, null, note);

    /// <summary>Set the weight.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="weight"/> is not a number within 0..100.</exception>
    public static CanaryCommand SetWeight(double weight, string? note = null)
    {
        if (double.IsNaN(weight) || weight < 0 || weight > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "Weight must be a percentage within 0..100.");
        }

        return new(CanaryCommandKind.SetWeight, weight, note);
    }

    /// <summary>
    /// Parses a command name as the API and CLI spell it: <c>start</c>, <c>pause</c>, <c>resume</c>, <c>promote</c>,
    /// <c>promote-full</c> (or <c>promote_full</c>, <c>promotefull</c>), <c>rollback</c>, <c>set-weight</c>
    /// (or <c>set_weight</c>, <c>setweight</c>), <c>retry</c>, <c>reset</c>; case-insensitive.
    /// </summary>
    public static bool TryParseKind([NotNullWhen(true)] string? name, out CanaryCommandKind kind)
    {
        kind = default;
        if (string.IsNullOrWhiteSpace(name))
        {
            return false;
        }

        var key = name.Trim().Replace("-", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal);
        CanaryCommandKind? parsed = key.ToUpperInvariant() switch
        {
            "START" => CanaryCommandKind.Start,
            "PAUSE" => CanaryCommandKind.Pause,
            "RESUME" => CanaryCommandKind.Resume,
            "PROMOTE" => CanaryCommandKind.Promote,
            "PROMOTEFULL" => CanaryCommandKind.PromoteFull,
            "ROLLBACK" => CanaryCommandKind.Rollback,
            "SETWEIGHT" => CanaryCommandKind.SetWeight,
            "RETRY" => CanaryCommandKind.Retry,
            "RESET" => CanaryCommandKind.Reset,
            _ => null,
        };
        kind = parsed.GetValueOrDefault();
        return parsed.HasValue;
    }
}
