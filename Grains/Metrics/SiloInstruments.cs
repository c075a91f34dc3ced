using System.Diagnostics.Metrics;
using OrleansFs.Metrics;

namespace OrleansFs.Grains.Metrics;

/// <summary>
/// The silo's instruments on the `OrleansFs` meter, created once per process: the grain call filter, the data
/// endpoint and the journal record into them, and the collector and OpenTelemetry read them by meter name.
/// </summary>
internal static class SiloInstruments
{
    // Journal flushes take from well under a millisecond (tmpfs) to seconds (a stalled disk).
    private static readonly double[] FlushBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly Meter Meter = new(MetricNames.Meter);

    public static readonly Counter<long> Operations =
        Meter.CreateCounter<long>(MetricNames.Operations, "{operation}", "File system operations served by the master");

    public static readonly Counter<long> BytesRead =
        Meter.CreateCounter<long>(MetricNames.BytesRead, "By", "Block bytes served to readers by this silo, by the way they went");

    public static readonly Counter<long> BytesWritten =
        Meter.CreateCounter<long>(MetricNames.BytesWritten, "By", "Block bytes stored for writers by this silo, by the way they came");

    public static readonly Histogram<double> JournalFlushDuration =
        Meter.CreateHistogram(MetricNames.JournalFlushDuration, "s", "Journal group-commit write, fsync and epoch check",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = FlushBuckets });

    public static readonly Counter<long> Takeovers =
        Meter.CreateCounter<long>(MetricNames.Takeovers, "{takeover}", "Master activations that took over on this silo, by cause");

    public static readonly Counter<long> StandbyReads =
        Meter.CreateCounter<long>(MetricNames.StandbyReadsTotal, "{call}", "Read-only metadata calls that reached this silo's warm standby, by outcome");

    public static void StandbyRead(string outcome) => StandbyReads.Add(1, new KeyValuePair<string, object?>(MetricNames.OutcomeTag, outcome));

    public static void Read(long bytes, string via) => BytesRead.Add(bytes, new KeyValuePair<string, object?>(MetricNames.ViaTag, via));

    public static void Written(long bytes, string via) => BytesWritten.Add(bytes, new KeyValuePair<string, object?>(MetricNames.ViaTag, via));
}
