namespace Migration.Core.Health;

/// <summary>
/// The health state machine of one provider, fed with probe results and live-traffic outcomes, each with its time
/// (an input: the tracker never reads a clock). Thread-safe.
/// <list type="bullet">
/// <item>Unhealthy after <see cref="ProviderHealthOptions.FailureThreshold"/> consecutive <em>probe</em> failures, or a
/// success rate below <see cref="ProviderHealthOptions.UnhealthySuccessRate"/> over the window (with at least
/// <see cref="ProviderHealthOptions.MinSamples"/> samples, probes and live calls).</item>
/// <item>Degraded on a recent probe failure, a success rate below <see cref="ProviderHealthOptions.DegradedSuccessRate"/>
/// or a moving-average latency above <see cref="ProviderHealthOptions.DegradedLatency"/>.</item>
/// <item>Live calls (<see cref="RecordLive"/>) are evidence only in number: at a high rate a few random errors come
/// in a row all the time, so a live failure never counts as a consecutive failure and never degrades on its own;
/// only the window's error rate over a minimum sample does.</item>
/// <item>Healthy again only after <see cref="ProviderHealthOptions.RecoveryThreshold"/> consecutive successes, so one
/// blip neither takes a provider down nor brings a dead one back.</item>
/// </list>
/// </summary>
public sealed class ProviderHealthTracker
{
    private readonly Lock _lock = new();
    private readonly Queue<(DateTimeOffset Time, bool Success)> _window = new();
    private ProviderStatus _status = ProviderStatus.Unknown;
    private DateTimeOffset _since;
    private int _windowSuccesses;
    private int _consecutiveFailures;
    private int _consecutiveSuccesses;
    private double? _averageLatencyMs;
    private TimeSpan? _lastTtft;
    private DateTimeOffset? _lastSignalAt;
    private string? _lastError;

    /// <summary>A tracker in status <see cref="ProviderStatus.Unknown"/> since <paramref name="now"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="options"/> are invalid.</exception>
    public ProviderHealthTracker(string name, ProviderHealthOptions options, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        Name = name;
        Options = options;
        _since = now;
    }

    /// <summary>The provider's display name.</summary>
    public string Name { get; }

    /// <summary>The thresholds in use.</summary>
    public ProviderHealthOptions Options { get; }

    /// <summary>The current status (as of the last signal).</summary>
    public ProviderStatus Status
    {
        get
        {
            lock (_lock)
            {
                return _status;
            }
        }
    }

    /// <summary>Records a successful probe that took <paramref name="latency"/>.</summary>
    /// <returns>The status after the signal.</returns>
    public ProviderStatus RecordSuccess(TimeSpan latency, DateTimeOffset now) => Record(true, latency, now, null, live: false);

    /// <summary>Records a failed probe; <paramref name="error"/> describes it.</summary>
    /// <returns>The status after the signal.</returns>
    public ProviderStatus RecordFailure(DateTimeOffset now, string? error = null) => Record(false, TimeSpan.Zero, now, error, live: false);

    /// <summary>
    /// Records how a live call to the provider ended (a passive signal): it counts in the window's success rate and
    /// a success in the consecutive successes, but a failure is not a consecutive failure (see the type's remarks).
    /// </summary>
    /// <returns>The status after the signal.</returns>
    public ProviderStatus RecordLive(bool success, TimeSpan latency, DateTimeOffset now, string? error = null) =>
        Record(success, latency, now, error, live: true);

    /// <summary>Records the time to first token of a streaming probe (informational; its success is recorded apart).</summary>
    public void RecordTimeToFirstToken(TimeSpan ttft)
    {
        lock (_lock)
        {
            _lastTtft = ttft;
        }
    }

    /// <summary>The status and its numbers at <paramref name="now"/> (the window is trimmed to <paramref name="now"/>).</summary>
    public ProviderHealthSnapshot Snapshot(DateTimeOffset now)
    {
        lock (_lock)
        {
            Trim(now);
            return new ProviderHealthSnapshot
            {
                Name = Name,
                Status = _status,
                Since = _since,
                ConsecutiveFailures = _consecutiveFailures,
                ConsecutiveSuccesses = _consecutiveSuccesses,
                Samples = _window.Count,
                SuccessRate = _window.Count == 0 ? null : (double)_windowSuccesses / _window.Count,
                AverageLatency = _averageLatencyMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
                LastTimeToFirstToken = _lastTtft,
                LastSignalAt = _lastSignalAt,
                LastError = _lastError,
            };
        }
    }

    private ProviderStatus Record(bool success, TimeSpan latency, DateTimeOffset now, string? error, bool live)
    {
        lock (_lock)
        {
            _lastSignalAt = now;
            if (success)
            {
                _consecutiveSuccesses++;
                _consecutiveFailures = 0;
                var ms = Math.Max(0, latency.TotalMilliseconds);
                _averageLatencyMs = _averageLatencyMs is { } average
                    ? average + (Options.LatencySmoothing * (ms - average))
                    : ms;
            }
            else
            {
                if (!live)
                {
                    _consecutiveFailures++;
                }

                _consecutiveSuccesses = 0;
                _lastError = error;
            }

            _window.Enqueue((now, success));
            if (success)
            {
                _windowSuccesses++;
            }

            Trim(now);
            MoveTo(Next(), now);
            return _status;
        }
    }

    // Caller holds _lock.
    private ProviderStatus Next()
    {
        switch (_status)
        {
            case ProviderStatus.Unhealthy:
                if (_consecutiveSuccesses < Options.RecoveryThreshold)
                {
                    return ProviderStatus.Unhealthy;
                }

                // Recovered: the failures of the outage must not pull it straight back down.
                ResetWindowToRecentSuccesses();
                return IsDegraded() ? ProviderStatus.Degraded : ProviderStatus.Healthy;

            case ProviderStatus.Unknown:
                if (IsUnhealthy())
                {
                    return ProviderStatus.Unhealthy;
                }

                if (_consecutiveSuccesses == 0)
                {
                    return ProviderStatus.Unknown;
                }

                // First evidence it answers: no history to hold against it.
                return IsDegraded() ? ProviderStatus.Degraded : ProviderStatus.Healthy;

            case ProviderStatus.Degraded:
                if (IsUnhealthy())
                {
                    return ProviderStatus.Unhealthy;
                }

                return !IsDegraded() && _consecutiveSuccesses >= Options.RecoveryThreshold ? ProviderStatus.Healthy : ProviderStatus.Degraded;

            default:
                if (IsUnhealthy())
                {
                    return ProviderStatus.Unhealthy;
                }

                return IsDegraded() ? ProviderStatus.Degraded : ProviderStatus.Healthy;
        }
    }

    private bool IsUnhealthy() =>
        _consecutiveFailures >= Options.FailureThreshold
        || (_window.Count >= Options.MinSamples && (double)_windowSuccesses / _window.Count < Options.UnhealthySuccessRate);

    private bool IsDegraded() =>
        _consecutiveFailures > 0
        || (_window.Count >= Options.MinSamples && (double)_windowSuccesses / _window.Count < Options.DegradedSuccessRate)
        || (Options.DegradedLatency is { } limit && _averageLatencyMs is { } average && average > limit.TotalMilliseconds);

    private void MoveTo(ProviderStatus next, DateTimeOffset now)
    {
        if (next != _status)
        {
            _status = next;
            _since = now;
        }
    }

    private void ResetWindowToRecentSuccesses()
    {
        var keep = _window.Skip(Math.Max(0, _window.Count - _consecutiveSuccesses)).ToList();
        _window.Clear();
        foreach (var sample in keep)
        {
            _window.Enqueue(sample);
        }

        _windowSuccesses = keep.Count;
    }

    private void Trim(DateTimeOffset now)
    {
        var oldest = now - Options.Window;
        while (_window.Count > 0 && (_window.Count > Options.MaxWindowSamples || _window.Peek().Time < oldest))
        {
            if (_window.Dequeue().Success)
            {
                _windowSuccesses--;
            }
        }
    }
}
