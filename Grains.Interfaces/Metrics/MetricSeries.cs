namespace OrleansFs.Metrics;

/// <summary>
/// One silo's recent history, one sample per <see cref="IntervalSeconds"/>, oldest first: every array has one
/// value per entry of <see cref="Times"/>. Rates are per second over the interval that ends at the time.
/// </summary>
[GenerateSerializer]
[Alias("OrleansFs.MetricSeries")]
public sealed record MetricSeries
{
    /// <summary>host:port of the silo that recorded it.</summary>
    [Id(0)] public string SiloAddress { get; init; } = "";
    [Id(1)] public int IntervalSeconds { get; init; }
    /// <summary>The end of each sample's interval, in Unix milliseconds, on a grid of <see cref="IntervalSeconds"/> shared by every silo.</summary>
    [Id(2)] public long[] Times { get; init; } = [];
    /// <summary>Operations per second served by the master on this silo, one series per operation (grain method).</summary>
    [Id(3)] public IReadOnlyList<NamedSeries> Operations { get; init; } = [];
    [Id(4)] public double[] ReadBytesPerSecond { get; init; } = [];
    [Id(5)] public double[] WrittenBytesPerSecond { get; init; } = [];
    /// <summary>Median journal flush in milliseconds; null for an interval without a flush on this silo.</summary>
    [Id(6)] public double?[] JournalFlushP50Milliseconds { get; init; } = [];
    [Id(7)] public double?[] JournalFlushP99Milliseconds { get; init; } = [];
    /// <summary>Active silos in the membership as this silo saw it.</summary>
    [Id(8)] public double[] LiveSilos { get; init; } = [];
}
