namespace OrleansFs.Bench;

/// <summary>One timed transfer.</summary>
internal sealed record Measurement(string Name, int Clients, long Bytes, TimeSpan Elapsed)
{
    public double GBps => Bytes / Elapsed.TotalSeconds / 1e9;

    public override string ToString() => $"{Name,-28} clients={Clients}  {Bytes / (1 << 20),6} MiB  {Elapsed.TotalSeconds,7:0.000} s  {GBps,6:0.000} GB/s";

    /// <summary>The run with the median throughput among repetitions of one measurement.</summary>
    public static Measurement Median(IReadOnlyList<Measurement> runs) => runs.OrderBy(m => m.GBps).ElementAt(runs.Count / 2);
}
