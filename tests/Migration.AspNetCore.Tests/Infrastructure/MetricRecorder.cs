using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Migration.AspNetCore.Tests.Infrastructure;

/// <summary>Records measurements (observable instruments included) of one instrument of meters created by one <see cref="IMeterFactory"/>.</summary>
internal sealed class MetricRecorder<T> : IDisposable
    where T : struct
{
    private readonly MeterListener _listener = new();

    public MetricRecorder(IMeterFactory factory, string meterName, string instrumentName)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Meter.Name == meterName && instrument.Name == instrumentName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<T>((_, value, tags, _) =>
        {
            var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            Measurements.Enqueue((value, copy));
        });
        _listener.Start();
    }

    /// <summary>Records <paramref name="instrumentName"/> of the meter <c>Migration.Harness</c>.</summary>
    public MetricRecorder(IMeterFactory factory, string instrumentName)
        : this(factory, "Migration.Harness", instrumentName)
    {
    }

    public ConcurrentQueue<(T Value, Dictionary<string, object?> Tags)> Measurements { get; } = new();

    /// <summary>Collects observable instruments now and returns what they reported.</summary>
    public List<(T Value, Dictionary<string, object?> Tags)> Observe()
    {
        Measurements.Clear();
        _listener.RecordObservableInstruments();
        return [.. Measurements];
    }

    public void Dispose() => _listener.Dispose();
}
