using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using OrleansFs.Metrics;

namespace OrleansFs.Tests.Web.Support;

/// <summary>
/// Listens to the client's `OrleansFs.Client` meter in this process, as an application exporting it would,
/// and sums the byte counters by instrument and `via` tag from the moment it is created.
/// </summary>
public sealed class ClientByteCounters : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(string Instrument, string? Via), long> _totals = new();

    public ClientByteCounters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MetricNames.ClientMeter) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? via = null;
            foreach (var tag in tags)
                if (tag.Key == MetricNames.ViaTag) via = tag.Value as string;
            _totals.AddOrUpdate((instrument.Name, via), value, (_, total) => total + value);
        });
        _listener.Start();
    }

    public long Read(string via) => _totals.GetValueOrDefault((MetricNames.ClientBytesRead, via));

    public long Written(string via) => _totals.GetValueOrDefault((MetricNames.ClientBytesWritten, via));

    public void Dispose() => _listener.Dispose();
}
