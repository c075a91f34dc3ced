using System.Diagnostics;
using OrleansFs.Clustering.ZooKeeper.Client;

namespace OrleansFs.Bench;

/// <summary>Runs one operation with a fixed number of requests in flight on one session and measures each request.</summary>
internal sealed class ClientBenchmark(string connectionString, TimeSpan duration)
{
    private static readonly byte[] Payload = new byte[100];

    public async Task<BenchmarkResult> RunAsync(string operation, int inFlight)
    {
        await using var client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectionString = connectionString });
        var root = await client.CreateAsync($"/bench-{Guid.NewGuid():N}", Payload);
        await client.CreateAsync(root + "/read", Payload);
        Func<int, long, Task> op = operation switch
        {
            "create" => (worker, i) => client.CreateAsync($"{root}/w{worker}-{i}", Payload),
            "getData" => (_, _) => client.GetDataAsync(root + "/read"),
            _ => throw new ArgumentException($"unknown operation {operation}"),
        };
        await RunWorkersAsync(op, inFlight, TimeSpan.FromSeconds(1)); // warm-up: JIT on both sides
        var latencies = await RunWorkersAsync(op, inFlight, duration);
        return BenchmarkResult.From(latencies, duration);
    }

    private static async Task<List<long>> RunWorkersAsync(Func<int, long, Task> op, int inFlight, TimeSpan length)
    {
        long end = Stopwatch.GetTimestamp() + (long)(length.TotalSeconds * Stopwatch.Frequency);
        var perWorker = new List<long>[inFlight];
        var workers = Enumerable.Range(0, inFlight).Select(w => Task.Run(async () =>
        {
            var mine = perWorker[w] = new List<long>(100_000);
            long i = Random.Shared.NextInt64(1L << 40);
            while (Stopwatch.GetTimestamp() < end)
            {
                long start = Stopwatch.GetTimestamp();
                await op(w, i++);
                mine.Add(Stopwatch.GetTimestamp() - start);
            }
        }));
        await Task.WhenAll(workers);
        return perWorker.SelectMany(l => l).ToList();
    }
}
