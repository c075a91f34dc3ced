namespace OrleansFs.Metrics;

/// <summary>
/// The `System.Diagnostics.Metrics` names the web interface's Metrics page and the Prometheus endpoint
/// read. Any part may record them: create `new Meter(MetricNames.Meter)` and an instrument with one of
/// these names (instruments from several Meter instances with the same name are all collected).
/// </summary>
public static class MetricNames
{
    public const string Meter = "OrleansFs";

    /// <summary>Counter of file system operations served by the master, tagged `operation` (recorded by the silo's grain call filter).</summary>
    public const string Operations = "ofs.operations";

    /// <summary>Counter of block bytes read, in bytes (recorded by the block code).</summary>
    public const string BytesRead = "ofs.bytes.read";

    /// <summary>Counter of block bytes written, in bytes (recorded by the block code).</summary>
    public const string BytesWritten = "ofs.bytes.written";

    /// <summary>Histogram of journal flush latency, in milliseconds (recorded by the journal).</summary>
    public const string JournalFlushDuration = "ofs.journal.flush.duration";
}
