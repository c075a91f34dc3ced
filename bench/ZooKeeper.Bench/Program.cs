using OrleansFs.Bench;
using OrleansFs.TestSupport;

// Usage: dotnet run -c Release --project bench/ZooKeeper.Bench -- [--seconds N] [--server host:port] [--no-fsync]
// Without --server it starts its own standalone ZooKeeper 3.8 (Debian package) on a free port; --no-fsync sets
// forceSync=no there, which takes the disk out of create latency.
var seconds = ArgValue("--seconds") is { } s ? int.Parse(s) : 5;
bool noFsync = args.Contains("--no-fsync");
var server = ArgValue("--server");
ZooKeeperEnsemble? ensemble = null;
if (server is null)
{
    // A server-class JVM (no tiered-compilation cap) so the server is not the bottleneck of a client benchmark.
    ZooKeeperEnsemble.Options = new ZooKeeperServerOptions
    {
        JvmOptions = "-Xmx512m -XX:+UseParallelGC",
        ExtraConfig = noFsync ? ["forceSync=no"] : [],
    };
    ensemble = await ZooKeeperEnsemble.StartStandaloneAsync();
    server = ensemble.ConnectionString;
}
try
{
    var bench = new ZooKeeperLoad(server, TimeSpan.FromSeconds(seconds), payloadBytes: 100);
    Console.WriteLine($"ZooKeeper client benchmark against {server}, {seconds} s per case, 100-byte payloads{(noFsync ? ", forceSync=no" : "")}");
    Console.WriteLine($"{"operation",-10} {"in flight",9} {"ops/s",10} {"p50 ms",8} {"p99 ms",8} {"ops",9}");
    foreach (var operation in ZooKeeperLoad.Operations)
    {
        foreach (var inFlight in new[] { 1, 64 })
        {
            var result = await bench.RunAsync(operation, inFlight);
            Console.WriteLine($"{operation,-10} {inFlight,9} {result.OpsPerSecond,10:0} {result.P50Ms,8:0.000} {result.P99Ms,8:0.000} {result.Operations,9}");
        }
    }
}
finally
{
    if (ensemble is not null) await ensemble.DisposeAsync();
}

string? ArgValue(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
