using Microsoft.Extensions.Options;
using Migration.AspNetCore.Canary;
using Migration.AspNetCore.Configuration;

namespace Migration.AspNetCore.Shadow;

/// <summary>
/// The run-time switch of shadow mode: on/off and sample rate, and the pause a candidate's 429 imposes. The single
/// source of the switch is the stored <c>canary_state.shadow_*</c> row (set by <c>migrationctl shadow ...</c> or
/// <c>PUT /migration/shadow</c>, audited, applied by every instance on NOTIFY like the canary weight, kept across
/// restarts); a stored null falls back to <c>Migration:Shadow:Enabled</c> / <c>SampleRate</c>. Only without a canary
/// store (no database) does <see cref="SetLocal"/> change this instance alone. Reads are a reference compare and a
/// volatile load on the hot path: the effective settings are rebuilt only when the cached state changed.
/// </summary>
internal sealed class ShadowControl
{
    private readonly PauseGate _pause;
    private readonly CanaryStateCache _cache;
    private volatile ShadowSettings _configured;
    private volatile Effective _effective;

    public ShadowControl(IOptions<MigrationHarnessOptions> options, TimeProvider time, CanaryStateCache cache)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(cache);
        _pause = new PauseGate(time);
        _cache = cache;
        var shadow = options.Value.Shadow;
        _configured = new ShadowSettings(shadow.Enabled, shadow.SampleRate);
        _effective = new Effective(null, _configured, _configured);
    }

    /// <summary>Current on/off and sample rate: the stored values where set, else the configured (or local) ones.</summary>
    public ShadowSettings Settings
    {
        get
        {
            var flag = _cache.Current;
            var configured = _configured;
            var effective = _effective;
            if (ReferenceEquals(effective.Flag, flag) && ReferenceEquals(effective.Configured, configured))
            {
                return effective.Settings;
            }

            var stored = flag.State;
            var settings = new ShadowSettings(
                stored?.ShadowEnabled ?? configured.Enabled,
                stored?.ShadowSampleRate ?? configured.SampleRate);
            _effective = new Effective(flag, configured, settings);
            return settings;
        }
    }

    /// <summary>Where <see cref="Settings"/> come from: <c>stored</c> (a value set at run time) or <c>configuration</c>.</summary>
    public string Source => _cache.Current.State is { } s && (s.ShadowEnabled is not null || s.ShadowSampleRate is not null) ? "stored" : "configuration";

    /// <summary>
    /// Without a canary store only: replaces this instance's settings (rate clamped to 0..1), not stored, not
    /// audited. With a store, values stored there still win.
    /// </summary>
    public ShadowSettings SetLocal(bool enabled, double sampleRate)
    {
        _configured = new ShadowSettings(enabled, Math.Clamp(sampleRate, 0, 1));
        return Settings;
    }

    /// <summary>End of the current 429 pause, or null when sending is not paused.</summary>
    public DateTimeOffset? PausedUntil => _pause.PausedUntil;

    /// <summary>Whether mirrored calls are paused at this moment.</summary>
    public bool IsPaused => _pause.IsPaused;

    /// <summary>Pauses sending until <paramref name="until"/> (an earlier end never shortens a running pause).</summary>
    public void PauseUntil(DateTimeOffset until) => _pause.PauseUntil(until);

    private sealed record Effective(CanaryFlag? Flag, ShadowSettings Configured, ShadowSettings Settings);
}
