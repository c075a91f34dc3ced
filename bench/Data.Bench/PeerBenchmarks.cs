using System.Diagnostics;
using StackExchange.Redis;

namespace OrleansFs.Bench;

/// <summary>
/// The peers the data path is measured against besides <see cref="RedisBenchmark"/>: Redis 1 MiB SET/GET driven by
/// StackExchange.Redis (what a .NET application would use) and reading a tmpfs file.
/// </summary>
internal static class PeerBenchmarks
{
    public const string SetName = "StackExchange.Redis SET 1 MiB";
    public const string GetName = "StackExchange.Redis GET 1 MiB";

    public static async Task<(Measurement Set, Measurement Get)> RedisAsync(int port, long totalBytes, int clients, byte[] value)
    {
        int perClient = (int)(totalBytes / clients / value.Length);
        var connections = new ConnectionMultiplexer[clients];
        for (int i = 0; i < clients; i++)
            connections[i] = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},allowAdmin=true");
        try
        {
            var set = await TimeAsync(SetName, clients, totalBytes, c => Enumerate(perClient, async k =>
                await connections[c].GetDatabase().StringSetAsync($"k{c}:{k}", value)));
            var get = await TimeAsync(GetName, clients, totalBytes, c => Enumerate(perClient, async k =>
            {
                var bytes = (byte[]?)await connections[c].GetDatabase().StringGetAsync($"k{c}:{k}");
                if (bytes?.Length != value.Length) throw new InvalidOperationException("redis returned a wrong value");
            }));
            await connections[0].GetServers()[0].FlushAllDatabasesAsync();
            return (set, get);
        }
        finally
        {
            foreach (var c in connections) c.Dispose();
        }
    }

    public static async Task<Measurement> TmpfsReadAsync(string directory, long totalBytes, int clients, byte[] value)
    {
        long perClient = totalBytes / clients;
        var files = new string[clients];
        for (int c = 0; c < clients; c++)
        {
            files[c] = Path.Combine(directory, $"tmpfs-peer-{c}");
            await using var output = new FileStream(files[c], FileMode.Create, FileAccess.Write, FileShare.None, 0);
            for (long done = 0; done < perClient; done += value.Length) await output.WriteAsync(value);
        }
        try
        {
            return await TimeAsync("tmpfs file read", clients, totalBytes, c => Task.Run(() =>
            {
                var buffer = new byte[value.Length];
                using var input = new FileStream(files[c], FileMode.Open, FileAccess.Read, FileShare.Read, 0);
                while (input.Read(buffer) > 0) { }
            }));
        }
        finally
        {
            foreach (var f in files) File.Delete(f);
        }
    }

    private static async Task Enumerate(int count, Func<int, Task> body)
    {
        for (int k = 0; k < count; k++) await body(k);
    }

    internal static async Task<Measurement> TimeAsync(string name, int clients, long bytes, Func<int, Task> perClient)
    {
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(perClient));
        return new Measurement(name, clients, bytes, clock.Elapsed);
    }
}
