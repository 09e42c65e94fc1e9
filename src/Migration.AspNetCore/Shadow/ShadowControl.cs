using Microsoft.Extensions.Options;
using Migration.AspNetCore.Configuration;

namespace Migration.AspNetCore.Shadow;

/// <summary>
/// The run-time switch of shadow mode: on/off and sample rate (initialised from options, changed by the admin
/// endpoint), and the pause a candidate's 429 imposes. Reads are a single volatile load on the hot path.
/// </summary>
internal sealed class ShadowControl
{
    private readonly PauseGate _pause;
    private volatile ShadowSettings _settings;

    public ShadowControl(IOptions<MigrationHarnessOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _pause = new PauseGate(time);
        var shadow = options.Value.Shadow;
        _settings = new ShadowSettings(shadow.Enabled, shadow.SampleRate);
    }

    /// <summary>Current on/off and sample rate.</summary>
    public ShadowSettings Settings => _settings;

    /// <summary>Replaces the settings (rate clamped to 0..1).</summary>
    public ShadowSettings Set(bool enabled, double sampleRate)
    {
        var settings = new ShadowSettings(enabled, Math.Clamp(sampleRate, 0, 1));
        _settings = settings;
        return settings;
    }

    /// <summary>End of the current 429 pause, or null when sending is not paused.</summary>
    public DateTimeOffset? PausedUntil => _pause.PausedUntil;

    /// <summary>Whether mirrored calls are paused at this moment.</summary>
    public bool IsPaused => _pause.IsPaused;

    /// <summary>Pauses sending until <paramref name="until"/> (an earlier end never shortens a running pause).</summary>
    public void PauseUntil(DateTimeOffset until) => _pause.PauseUntil(until);
}
