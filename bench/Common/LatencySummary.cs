using System.Diagnostics;

namespace OrleansFs.Bench;

/// <summary>Throughput and latency percentiles of one case, from per-operation timestamps.</summary>
public sealed record LatencySummary(long Operations, double OpsPerSecond, double P50Ms, double P99Ms)
{
    public static LatencySummary From(List<long> ticks, TimeSpan duration)
    {
        ticks.Sort();
        return new LatencySummary(ticks.Count, ticks.Count / duration.TotalSeconds, Percentile(ticks, 0.50), Percentile(ticks, 0.99));
    }

    private static double Percentile(List<long> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[(int)Math.Min(sorted.Count - 1, p * sorted.Count)] * 1000.0 / Stopwatch.Frequency;
}
