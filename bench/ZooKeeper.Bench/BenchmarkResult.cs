using System.Diagnostics;

namespace OrleansFs.Bench;

/// <summary>Throughput and latency percentiles of one benchmark case.</summary>
internal sealed record BenchmarkResult(long Operations, double OpsPerSecond, double P50Ms, double P99Ms)
{
    public static BenchmarkResult From(List<long> ticks, TimeSpan duration)
    {
        ticks.Sort();
        double Percentile(double p) => ticks.Count == 0 ? 0 : ticks[(int)Math.Min(ticks.Count - 1, p * ticks.Count)] * 1000.0 / Stopwatch.Frequency;
        return new BenchmarkResult(ticks.Count, ticks.Count / duration.TotalSeconds, Percentile(0.50), Percentile(0.99));
    }
}
