using Migration.Core.Exchange;

namespace Migration.Core.Health;

/// <summary>
/// Passive health signals: the middleware and the candidate forwarder report how each live call to a provider
/// ended, feeding the same status the active probes feed. Implementations only update memory (never block, never
/// throw).
/// </summary>
public interface IProviderHealthReporter
{
    /// <summary>
    /// A live call to <paramref name="provider"/> ended with <paramref name="outcome"/> after <paramref name="latency"/>.
    /// <see cref="ErrorClass.ClientError"/> (the request's own fault) and <see cref="ErrorClass.Fallback"/> are not
    /// held against the provider.
    /// </summary>
    void Report(ProviderRole provider, ErrorClass outcome, TimeSpan latency);
}

/// <summary>Discards every signal (the default until health monitoring is registered).</summary>
public sealed class NullProviderHealthReporter : IProviderHealthReporter
{
    /// <summary>The shared instance.</summary>
    public static NullProviderHealthReporter Instance { get; } = new();

    /// <inheritdoc />
    public void Report(ProviderRole provider, ErrorClass outcome, TimeSpan latency)
    {
    }
}
