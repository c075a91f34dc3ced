using OrleansFs.Bench;
using OrleansFs.Client;
using OrleansFs.TestSupport;

// Data benchmark: writes and reads SIZE bytes through OrleansFs with 1 and 4 clients, remote and same-host
// paths, next to Redis 1 MiB SET/GET and reading a tmpfs file, all in this run, and prints the ratios.
// Usage: dotnet run -c Release --project bench/Data.Bench [-- --mib 1024]
int mib = args.Length >= 2 && args[0] == "--mib" ? int.Parse(args[1]) : 1024;
long total = (long)mib << 20;
var value = new byte[1 << 20];
new Random(42).NextBytes(value);

using var shm = new TempDirectory("ofs-bench");
string memory = Path.Combine("/dev/shm", $"ofs-bench-{Environment.ProcessId}");
await using var silo = await SiloProcess.StartAsync([$"--Worker:MemoryDirectory={memory}", $"--Worker:MemoryBytes={6L << 30}"]);
using var redis = new RedisServer();
var results = new List<Measurement>();
try
{
    foreach (int clients in new[] { 1, 4 })
    {
        var connections = new OrleansFsConnection[clients];
        for (int i = 0; i < clients; i++)
            connections[i] = await OrleansFsClient.ConnectAsync(new OrleansFsClientOptions { Gateways = [silo.Gateway] });
        string tag = $"c{clients}";
        var write = await OfsBenchmarks.WriteAsync(connections, total, clients, value, tag);
        var remote = await OfsBenchmarks.ReadAsync(connections, total, clients, value.Length, tag, shortCircuit: false);
        var local = await OfsBenchmarks.ReadAsync(connections, total, clients, value.Length, tag, shortCircuit: true);
        var (set, get) = await PeerBenchmarks.RedisAsync(redis.Port, total, clients, value);
        var tmpfs = await PeerBenchmarks.TmpfsReadAsync(shm.Path.StartsWith("/dev/shm") ? shm.Path : "/dev/shm", total, clients, value);
        foreach (var m in new[] { write, remote, local, set, get, tmpfs }) Console.WriteLine(m);
        Console.WriteLine($"  ratio remote write / Redis SET   = {write.GBps / set.GBps:0.00}");
        Console.WriteLine($"  ratio remote read  / Redis GET   = {remote.GBps / get.GBps:0.00}");
        Console.WriteLine($"  ratio same-host read / tmpfs read = {local.GBps / tmpfs.GBps:0.00}");
        results.AddRange([write, remote, local, set, get, tmpfs]);
        await connections[0].FileSystem.DeleteAsync($"/bench/{tag}", recursive: true);
        foreach (var c in connections) await c.DisposeAsync();
    }
}
finally
{
    if (Directory.Exists(memory)) Directory.Delete(memory, recursive: true);
}
