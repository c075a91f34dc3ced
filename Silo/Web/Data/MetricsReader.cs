using OrleansFs.Grains.Metrics;
using OrleansFs.Metrics;
using OrleansFs.Silo.Web.Models;

namespace OrleansFs.Silo.Web.Data;

/// <summary>
/// This silo's numbers from the `OrleansFs` meter: headline rates plus every instrument. Durations are
/// recorded in seconds (as Prometheus wants them) and shown here in milliseconds, the scale they have.
/// </summary>
public sealed class MetricsReader(MetricsCollector collector, SiloIdentity self)
{
    public MetricsModel Read()
    {
        var instruments = collector.Snapshot().Select(InMilliseconds).ToList();
        InstrumentSnapshot? Find(string name) => instruments.FirstOrDefault(i => i.Name == name);
        var ops = Find(MetricNames.Operations);
        var read = Find(MetricNames.BytesRead);
        var written = Find(MetricNames.BytesWritten);
        var flush = Find(MetricNames.JournalFlushDuration);
        return new MetricsModel
        {
            Silo = self.Address,
            WindowSeconds = MetricsCollector.Window.TotalSeconds,
            OperationsPerSecond = Round(ops?.RatePerSecond),
            OperationsTotal = ops?.Total ?? 0,
            BytesReadTotal = read?.Total ?? 0,
            BytesWrittenTotal = written?.Total ?? 0,
            BytesReadPerSecond = Round(read?.RatePerSecond),
            BytesWrittenPerSecond = Round(written?.RatePerSecond),
            JournalFlushes = flush?.Count ?? 0,
            JournalFlushMeanMilliseconds = flush?.Mean,
            JournalFlushMaxMilliseconds = flush?.Max,
            Instruments = instruments.Select(ToModel).ToList(),
        };
    }

    private static double Round(double? value) => Math.Round(value ?? 0, 2);

    private static InstrumentSnapshot InMilliseconds(InstrumentSnapshot s) => s.Unit != "s" ? s : s with
    {
        Unit = "ms", Total = s.Total * 1000, RatePerSecond = s.RatePerSecond * 1000,
        Mean = s.Mean * 1000, Max = s.Max * 1000, Last = s.Last * 1000,
    };

    private static InstrumentModel ToModel(InstrumentSnapshot s)
    {
        bool histogram = s.Kind == "histogram";
        return new InstrumentModel(
            s.Name, s.Kind, s.Unit, s.Total, s.Kind == "gauge" ? 0 : Round(s.RatePerSecond), s.Count,
            histogram ? s.Mean : null, histogram ? s.Max : null, histogram ? s.Last : null);
    }
}
