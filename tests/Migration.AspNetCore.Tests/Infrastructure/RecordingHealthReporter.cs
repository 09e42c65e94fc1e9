using System.Collections.Concurrent;
using Migration.Core.Exchange;
using Migration.Core.Health;

namespace Migration.AspNetCore.Tests.Infrastructure;

/// <summary>Records every passive health signal it is given.</summary>
internal sealed class RecordingHealthReporter : IProviderHealthReporter
{
    public ConcurrentQueue<(ProviderRole Provider, ErrorClass Outcome, TimeSpan Latency)> Reports { get; } = new();

    public void Report(ProviderRole provider, ErrorClass outcome, TimeSpan latency) => Reports.Enqueue((provider, outcome, latency));
}
