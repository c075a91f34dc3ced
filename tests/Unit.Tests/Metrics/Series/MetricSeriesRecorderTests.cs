using System.Diagnostics.Metrics;
using OrleansFs.Grains.Metrics.Series;
using OrleansFs.Metrics;

namespace OrleansFs.Tests.Metrics.Series;

/// <summary>The recorder listens to its own meter here, so other tests' measurements cannot reach it.</summary>
public sealed class MetricSeriesRecorderTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private readonly Meter _meter = new($"OrleansFs.Test.{Guid.NewGuid():N}");
    private readonly Counter<long> _operations;
    private readonly Counter<long> _read;
    private readonly Counter<long> _written;
    private readonly Histogram<double> _flush;
    private int _liveSilos = 3;
    private readonly MetricSeriesRecorder _recorder;

    public MetricSeriesRecorderTests()
    {
        _recorder = new MetricSeriesRecorder(_meter.Name, () => _liveSilos, TimeProvider.System);
        _operations = _meter.CreateCounter<long>(MetricNames.Operations);
        _read = _meter.CreateCounter<long>(MetricNames.BytesRead);
        _written = _meter.CreateCounter<long>(MetricNames.BytesWritten);
        _flush = _meter.CreateHistogram<double>(MetricNames.JournalFlushDuration);
    }

    [Fact]
    public void Each_sample_turns_the_counts_of_its_interval_into_rates_per_second()
    {
        _recorder.Sample(Start);
        Operation("GetStatus", 10);
        Operation("CreateFile", 5);
        _read.Add(5_000);
        _written.Add(1_000);
        _recorder.Sample(Start.AddSeconds(5));
        Operation("GetStatus", 20);
        _recorder.Sample(Start.AddSeconds(10));

        var series = _recorder.Snapshot("127.0.0.1:11111");
        Assert.Equal(5, series.IntervalSeconds);
        Assert.Equal([Ms(Start), Ms(Start.AddSeconds(5)), Ms(Start.AddSeconds(10))], series.Times);
        Assert.Equal([0.0, 2, 4], Kind(series, "GetStatus"));
        Assert.Equal([0.0, 1, 0], Kind(series, "CreateFile"));
        Assert.Equal([0.0, 1000, 0], series.ReadBytesPerSecond);
        Assert.Equal([0.0, 200, 0], series.WrittenBytesPerSecond);
        Assert.Equal([3.0, 3, 3], series.LiveSilos);
    }

    [Fact]
    public void A_kind_first_seen_later_has_zeros_before_and_lines_up_with_the_times()
    {
        _recorder.Sample(Start);
        _recorder.Sample(Start.AddSeconds(5));
        Operation("Delete", 15);
        Assert.Equal([0.0, 0], Kind(_recorder.Snapshot("s"), "Delete"));

        _recorder.Sample(Start.AddSeconds(10));
        Assert.Equal([0.0, 0, 3], Kind(_recorder.Snapshot("s"), "Delete"));
    }

    [Fact]
    public void Journal_latency_is_a_median_and_99th_percentile_per_interval_in_milliseconds_and_null_without_flushes()
    {
        _recorder.Sample(Start);
        for (int i = 1; i <= 100; i++) _flush.Record(i / 1000.0);
        _recorder.Sample(Start.AddSeconds(5));
        _recorder.Sample(Start.AddSeconds(10));

        var series = _recorder.Snapshot("s");
        Assert.Null(series.JournalFlushP50Milliseconds[0]);
        Assert.InRange(series.JournalFlushP50Milliseconds[1]!.Value, 50, 55);
        Assert.InRange(series.JournalFlushP99Milliseconds[1]!.Value, 99, 109);
        Assert.Null(series.JournalFlushP99Milliseconds[2]);
    }

    [Fact]
    public void Samples_sit_on_the_grid_a_second_on_the_same_point_is_ignored_and_a_late_one_spreads_over_its_interval()
    {
        _recorder.Sample(Start.AddMilliseconds(120));
        _recorder.Sample(Start.AddMilliseconds(900)); // same grid point
        _read.Add(10_000);
        _recorder.Sample(Start.AddSeconds(10).AddMilliseconds(80)); // one grid point skipped: 10 s

        var series = _recorder.Snapshot("s");
        Assert.Equal([Ms(Start), Ms(Start.AddSeconds(10))], series.Times);
        Assert.Equal([0.0, 1000], series.ReadBytesPerSecond);
    }

    [Fact]
    public void Keeps_fifteen_minutes_and_drops_the_oldest_samples()
    {
        int samples = MetricSeriesRecorder.Capacity + 20;
        for (int i = 0; i < samples; i++)
        {
            Operation("GetStatus", i);
            _recorder.Sample(Start.AddSeconds(5 * i));
        }

        var series = _recorder.Snapshot("s");
        Assert.Equal(TimeSpan.FromMinutes(15), MetricSeriesRecorder.Interval * MetricSeriesRecorder.Capacity);
        Assert.Equal(MetricSeriesRecorder.Capacity, series.Times.Length);
        Assert.Equal(Ms(Start.AddSeconds(5 * 20)), series.Times[0]);
        Assert.Equal(Ms(Start.AddSeconds(5 * (samples - 1))), series.Times[^1]);
        Assert.Equal((samples - 1) / 5.0, Kind(series, "GetStatus")[^1]);
        Assert.All(new[] { series.ReadBytesPerSecond.Length, series.LiveSilos.Length, series.JournalFlushP50Milliseconds.Length },
            n => Assert.Equal(MetricSeriesRecorder.Capacity, n));
    }

    [Fact]
    public void Sampling_allocates_nothing_once_every_kind_was_seen()
    {
        Operation("GetStatus", 1);
        _flush.Record(0.001);
        for (int i = 0; i < 5; i++) _recorder.Sample(Start.AddSeconds(5 * i)); // warm up
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 5; i < 400; i++)
        {
            Operation("GetStatus", 1);
            _read.Add(10);
            _flush.Record(0.002);
            _recorder.Sample(Start.AddSeconds(5 * i));
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private void Operation(string kind, long count) => _operations.Add(count, new KeyValuePair<string, object?>("operation", kind));

    private static double[] Kind(MetricSeries series, string kind) => Assert.Single(series.Operations, o => o.Name == kind).Values;

    private static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public void Dispose()
    {
        _recorder.Dispose();
        _meter.Dispose();
    }
}
