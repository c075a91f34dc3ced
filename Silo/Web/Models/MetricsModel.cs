namespace OrleansFs.Silo.Web.Models;

/// <summary>The Metrics page: this silo's headline numbers plus every instrument of the `OrleansFs` meter.</summary>
public sealed record MetricsModel
{
    public required string Silo { get; init; }
    public required double WindowSeconds { get; init; }
    public required double OperationsPerSecond { get; init; }
    public required double OperationsTotal { get; init; }
    public required double BytesReadTotal { get; init; }
    public required double BytesWrittenTotal { get; init; }
    public required double BytesReadPerSecond { get; init; }
    public required double BytesWrittenPerSecond { get; init; }
    public required long JournalFlushes { get; init; }
    public double? JournalFlushMeanMilliseconds { get; init; }
    public double? JournalFlushMaxMilliseconds { get; init; }
    public required IReadOnlyList<InstrumentModel> Instruments { get; init; }
}
