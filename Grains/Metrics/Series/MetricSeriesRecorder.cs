using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;
using OrleansFs.Metrics;

namespace OrleansFs.Grains.Metrics.Series;

/// <summary>
/// The last 15 minutes of this silo, for the web interface's charts: every <see cref="Interval"/> it turns the
/// `OrleansFs` meter's counters into rates (operations by kind, bytes read and written), the journal flushes of
/// the interval into a median and a 99th percentile, and counts the live silos, into fixed-size rings
/// (<see cref="SampleRing"/>). Measurements are interlocked adds; a sample allocates nothing once every
/// operation kind has been seen. Samples sit on a wall-clock grid, so the silos' series line up.
/// </summary>
public sealed class MetricSeriesRecorder : IHostedService, IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    public const int Capacity = 180; // 15 minutes of 5 s samples

    private readonly string _meterName;
    private readonly Func<int> _liveSilos;
    private readonly TimeProvider _time;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, OperationCounter> _operations = new(StringComparer.Ordinal);
    private readonly List<OperationCounter> _operationList = []; // the same counters, to walk without an enumerator
    private readonly LatencyQuantiles _flushes = new();
    private readonly object _gate = new();
    private readonly SampleRing _times = new(Capacity);
    private readonly Rate _read = new();
    private readonly Rate _written = new();
    private readonly SampleRing _flushP50 = new(Capacity);
    private readonly SampleRing _flushP99 = new(Capacity);
    private readonly SampleRing _live = new(Capacity);
    private long _lastTimeMs;
    private ITimer? _timer;

    public MetricSeriesRecorder(IServiceProvider services)
        : this(MetricNames.Meter, LiveSilosOf(services.GetService<IClusterMembershipService>()), TimeProvider.System)
    {
    }

    /// <summary>Listens to <paramref name="meterName"/> (tests give their own meter) and counts live silos with <paramref name="liveSilos"/>.</summary>
    internal MetricSeriesRecorder(string meterName, Func<int> liveSilos, TimeProvider time)
    {
        _meterName = meterName;
        _liveSilos = liveSilos;
        _time = time;
        _listener.InstrumentPublished = OnInstrumentPublished;
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => OnMeasurement(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => OnMeasurement(i, v, tags));
        _listener.Start();
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        long intervalMs = (long)Interval.TotalMilliseconds;
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        // A little past each grid point, so rounding to the grid is stable however the timer jitters.
        var first = TimeSpan.FromMilliseconds(intervalMs - now % intervalMs + 100);
        _timer = _time.CreateTimer(_ => Sample(_time.GetUtcNow()), null, first, Interval);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Takes one sample at <paramref name="now"/>, rounded to the grid; a second sample on the same grid point is ignored.</summary>
    public void Sample(DateTimeOffset now)
    {
        long intervalMs = (long)Interval.TotalMilliseconds;
        long timeMs = (long)Math.Round(now.ToUnixTimeMilliseconds() / (double)intervalMs) * intervalMs;
        int live = _liveSilos();
        lock (_gate)
        {
            if (timeMs <= _lastTimeMs) return;
            double seconds = _lastTimeMs == 0 ? Interval.TotalSeconds : (timeMs - _lastTimeMs) / 1000.0;
            _lastTimeMs = timeMs;
            foreach (var counter in _operationList)
            {
                counter.Ring.PadTo(_times.Count, 0); // a kind first seen now had no calls before
                counter.Push(seconds);
            }
            _times.Push(timeMs);
            _read.Push(seconds);
            _written.Push(seconds);
            _flushes.Take();
            _flushP50.Push(_flushes.Quantile(0.5) * 1000);
            _flushP99.Push(_flushes.Quantile(0.99) * 1000);
            _live.Push(live);
        }
    }

    /// <summary>A copy of the samples held, oldest first.</summary>
    public MetricSeries Snapshot(string siloAddress)
    {
        lock (_gate)
        {
            var times = _times.ToArray();
            return new MetricSeries
            {
                SiloAddress = siloAddress,
                IntervalSeconds = (int)Interval.TotalSeconds,
                Times = Array.ConvertAll(times, t => (long)t),
                Operations = _operations
                    .OrderBy(o => o.Key, StringComparer.Ordinal)
                    .Select(o => new NamedSeries { Name = o.Key, Values = AlignedTo(times.Length, o.Value.Ring) })
                    .ToList(),
                ReadBytesPerSecond = _read.Ring.ToArray(),
                WrittenBytesPerSecond = _written.Ring.ToArray(),
                JournalFlushP50Milliseconds = WithGaps(_flushP50),
                JournalFlushP99Milliseconds = WithGaps(_flushP99),
                LiveSilos = _live.ToArray(),
            };
        }
    }

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (instrument.Meter.Name != _meterName) return;
        if (instrument.Name is MetricNames.Operations or MetricNames.BytesRead or MetricNames.BytesWritten or MetricNames.JournalFlushDuration)
            listener.EnableMeasurementEvents(instrument);
    }

    private void OnMeasurement(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        switch (instrument.Name)
        {
            case MetricNames.Operations:
                string operation = OperationOf(tags);
                (_operations.TryGetValue(operation, out var counter) ? counter : AddOperation(operation)).Add((long)value);
                break;
            case MetricNames.BytesRead:
                _read.Add((long)value);
                break;
            case MetricNames.BytesWritten:
                _written.Add((long)value);
                break;
            case MetricNames.JournalFlushDuration:
                _flushes.Record(value);
                break;
        }
    }

    private OperationCounter AddOperation(string operation)
    {
        lock (_gate)
        {
            if (_operations.TryGetValue(operation, out var counter)) return counter;
            counter = new OperationCounter();
            _operations[operation] = counter;
            _operationList.Add(counter);
            return counter;
        }
    }

    private static string OperationOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
            if (tag.Key == "operation" && tag.Value is string operation) return operation;
        return "other";
    }

    /// <summary>Leading zeros for the samples taken before the kind was first seen (not yet padded by a sample).</summary>
    private static double[] AlignedTo(int count, SampleRing ring)
    {
        var values = new double[count];
        int held = Math.Min(ring.Count, count);
        for (int i = 0; i < held; i++) values[count - held + i] = ring[ring.Count - held + i];
        return values;
    }

    private static double?[] WithGaps(SampleRing ring) =>
        Array.ConvertAll(ring.ToArray(), v => double.IsNaN(v) ? (double?)null : Math.Round(v, 3));

    private static Func<int> LiveSilosOf(IClusterMembershipService? membership) => () =>
    {
        if (membership is null) return 1;
        int live = 0;
        foreach (var (_, member) in membership.CurrentSnapshot.Members)
            if (member.Status == SiloStatus.Active) live++;
        return live;
    };

    public void Dispose()
    {
        _timer?.Dispose();
        _listener.Dispose();
    }

    /// <summary>A counter turned into a per-second rate at each sample.</summary>
    private class Rate
    {
        private long _total;
        private long _sampled;

        public SampleRing Ring { get; } = new(Capacity);

        public void Add(long value) => Interlocked.Add(ref _total, value);

        public void Push(double seconds)
        {
            long total = Interlocked.Read(ref _total);
            Ring.Push((total - _sampled) / seconds);
            _sampled = total;
        }
    }

    private sealed class OperationCounter : Rate;
}
