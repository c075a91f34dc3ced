using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using OrleansFs.Metrics;

namespace OrleansFs.Grains.Metrics;

/// <summary>
/// Listens to every instrument of the `OrleansFs` meter in this process and keeps totals, a rate over a
/// sliding window and histogram aggregates for the Metrics page (Prometheus gets the raw series from
/// OpenTelemetry separately).
/// </summary>
public sealed class MetricsCollector : IHostedService, IDisposable
{
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    public const int WindowSamples = 10;

    private readonly ConcurrentDictionary<Instrument, InstrumentState> _states = new();
    private readonly MeterListener _listener = new();
    private Timer? _timer;

    public MetricsCollector()
    {
        _listener.InstrumentPublished = OnInstrumentPublished;
        _listener.SetMeasurementEventCallback<long>((i, v, _, s) => Record(i, v, s));
        _listener.SetMeasurementEventCallback<int>((i, v, _, s) => Record(i, v, s));
        _listener.SetMeasurementEventCallback<double>((i, v, _, s) => Record(i, v, s));
        _listener.SetMeasurementEventCallback<float>((i, v, _, s) => Record(i, v, s));
        // Start at construction so instruments created before the host starts are not missed.
        _listener.Start();
    }

    public static TimeSpan Window => Tick * WindowSamples;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _timer = new Timer(_ => OnTick(), null, Tick, Tick);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    public IReadOnlyList<InstrumentSnapshot> Snapshot() =>
        _states.Values.Select(s => s.Snapshot(Tick)).OrderBy(s => s.Name, StringComparer.Ordinal).ToList();

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (instrument.Meter.Name != MetricNames.Meter) return;
        _states.TryAdd(instrument, new InstrumentState(instrument.Name, KindOf(instrument), instrument.Unit, WindowSamples));
        listener.EnableMeasurementEvents(instrument, state: _states[instrument]);
    }

    private static void Record(Instrument instrument, double value, object? state)
    {
        if (state is not InstrumentState s) return;
        if (instrument.IsObservable) s.Observe(value);
        else s.Record(value);
    }

    private void OnTick()
    {
        _listener.RecordObservableInstruments();
        foreach (var state in _states.Values) state.Sample();
    }

    private static string KindOf(Instrument instrument)
    {
        var type = instrument.GetType();
        string name = type.IsGenericType ? type.Name[..type.Name.IndexOf('`')] : type.Name;
        return name switch
        {
            "Counter" or "ObservableCounter" => "counter",
            "Histogram" => "histogram",
            "UpDownCounter" or "ObservableUpDownCounter" => "updowncounter",
            _ => "gauge",
        };
    }

    public void Dispose()
    {
        _timer?.Dispose();
        _listener.Dispose();
    }
}
