using System.Diagnostics;

namespace OrleansFs.Bench;

/// <summary>N callers, each issuing its next operation when the previous one returns, for a fixed time.</summary>
public static class ClosedLoop
{
    public static async Task<LatencySummary> RunAsync(int callers, TimeSpan duration, Func<int, long, Task> operation)
    {
        long end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var perCaller = new List<long>[callers];
        await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
        {
            var mine = perCaller[c] = new List<long>(65_536);
            for (long i = 0; Stopwatch.GetTimestamp() < end; i++)
            {
                long start = Stopwatch.GetTimestamp();
                await operation(c, i);
                mine.Add(Stopwatch.GetTimestamp() - start);
            }
        })));
        return LatencySummary.From(perCaller.SelectMany(l => l).ToList(), duration);
    }
}
