using OrleansFs.Metrics;
using OrleansFs.Silo.Web.Data;

namespace OrleansFs.Tests.Metrics.Series;

/// <summary>How the charts' cluster-wide series are made from the silos' rings.</summary>
public sealed class SeriesReaderMergeTests
{
    [Fact]
    public void Silos_are_lined_up_by_time_rates_summed_latency_the_slowest_and_live_silos_the_most_seen()
    {
        var master = new MetricSeries
        {
            SiloAddress = "10.0.0.1:11111", IntervalSeconds = 5, Times = [5000, 10000],
            Operations = [new NamedSeries { Name = "GetStatus", Values = [2, 4] }, new NamedSeries { Name = "Delete", Values = [0, 0] }],
            ReadBytesPerSecond = [100, 0], WrittenBytesPerSecond = [10, 20],
            JournalFlushP50Milliseconds = [1.5, null], JournalFlushP99Milliseconds = [3, null], LiveSilos = [2, 2],
        };
        var other = new MetricSeries
        {
            SiloAddress = "10.0.0.2:11111", IntervalSeconds = 5, Times = [10000, 15000],
            Operations = [], ReadBytesPerSecond = [50, 60], WrittenBytesPerSecond = [0, 0],
            JournalFlushP50Milliseconds = [null, 0.5], JournalFlushP99Milliseconds = [null, 0.7], LiveSilos = [2, 1],
        };

        var model = SeriesReader.Merge([master, other], ["10.0.0.3:11111"]);

        Assert.Equal([5000L, 10000, 15000], model.Times);
        // The second silo answered for 15000 and served no operation then; nobody answered for 5000 but the master.
        Assert.Equal([2.0, 4, 0], Line(model, "operations", "all"));
        Assert.Equal([2.0, 4, 0], Line(model, "operations", "GetStatus"));
        Assert.DoesNotContain(model.Lines, l => l.Name == "Delete"); // nothing in the window
        Assert.Equal([100.0, 50, 60], Line(model, "bytes", "read"));
        Assert.Equal([10.0, 20, 0], Line(model, "bytes", "written"));
        Assert.Equal([1.5, null, 0.5], Line(model, "journal", "p50"));
        Assert.Equal([2.0, 2, 1], Line(model, "silos", "live"));
        Assert.Equal(["10.0.0.1:11111", "10.0.0.2:11111"], model.Silos);
        Assert.Equal(["10.0.0.3:11111"], model.SilosNotAnswering);
    }

    private static double?[] Line(OrleansFs.Silo.Web.Models.SeriesModel model, string chart, string name) =>
        Assert.Single(model.Lines, l => l.Chart == chart && l.Name == name).Values.ToArray();
}
