using OrleansFs.Bench;
using OrleansFs.Client;
using OrleansFs.TestSupport;

// Usage: dotnet run -c Release --project bench/Metadata.Bench -- [--seconds N] [--gateway host:port] [--no-zookeeper]
// Without --gateway it starts a real silo process (the built Silo, fresh data directory, fsync on). The ZooKeeper
// peer runs on a standalone ZooKeeper it starts from the Debian package.
int seconds = ArgValue("--seconds") is { } s ? int.Parse(s) : 5;
var duration = TimeSpan.FromSeconds(seconds);
int[] callerCounts = [1, 8, 32];

SiloProcess? silo = null;
string gateway = ArgValue("--gateway") ?? (silo = await SiloProcess.StartAsync()).Gateway;
Console.WriteLine($"Metadata benchmark: {seconds} s per case, after 1 s warm-up; silo gateway {gateway}; {Environment.ProcessorCount} cores");
Console.WriteLine($"{"system",-10} {"operation",-10} {"callers",7} {"ops/s",10} {"p50 ms",8} {"p99 ms",8} {"ops",9}");
try
{
    await using (var connection = await OrleansFsClient.ConnectAsync(new OrleansFsClientOptions { Gateways = [gateway] }))
    {
        var cases = new MetadataCases(connection.FileSystem, duration);
        foreach (int callers in callerCounts) Print("OrleansFs", "create", callers, await cases.CreatesAsync(callers));
        foreach (int callers in callerCounts) Print("OrleansFs", "getStatus", callers, await cases.GetStatusAsync(callers));
    }
}
finally
{
    if (silo is not null) await silo.DisposeAsync();
}

if (!args.Contains("--no-zookeeper"))
{
    await using var zookeeper = await ZooKeeperEnsemble.StartStandaloneAsync();
    var peer = new ZooKeeperLoad(zookeeper.ConnectionString, duration, payloadBytes: 64);
    foreach (int callers in callerCounts) Print("ZooKeeper", "create", callers, await peer.RunAsync("create", callers));
    foreach (int callers in callerCounts) Print("ZooKeeper", "getData", callers, await peer.RunAsync("getData", callers));
}

void Print(string system, string operation, int callers, LatencySummary r) =>
    Console.WriteLine($"{system,-10} {operation,-10} {callers,7} {r.OpsPerSecond,10:0} {r.P50Ms,8:0.000} {r.P99Ms,8:0.000} {r.Operations,9}");

string? ArgValue(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
