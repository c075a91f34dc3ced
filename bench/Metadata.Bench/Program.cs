using System.Globalization;
using OrleansFs.Bench;
using OrleansFs.Client;
using OrleansFs.TestSupport;

// Usage: dotnet run -c Release --project bench/Metadata.Bench -- [--seconds N] [--gateway host:port] [--silos 3] [--no-zookeeper] [--no-creates]
// Without --gateway it starts real silo processes (the built Silo, fresh data directories, fsync on): one by default;
// with --silos 3 a 3-silo cluster on a 1-member ZooKeeper, one client per gateway, reporting how many getStatus
// calls reached the master's silo. getStatus runs with standby reads on (the default) and off (every call a master
// read). The ZooKeeper peer runs on a standalone ZooKeeper it starts from the Debian package. With one silo it
// started, each getStatus line ends with the CPU µs per call of the client (this process) and of the silo (0 with --gateway).
int seconds = ArgValue("--seconds") is { } s ? int.Parse(s) : 5;
int siloCount = ArgValue("--silos") is { } n ? int.Parse(n) : 1;
var duration = TimeSpan.FromSeconds(seconds);
int[] callerCounts = [1, 8, 32];

SiloProcess? silo = null;
ClusterProcesses? cluster = null;
var connections = new List<OrleansFsConnection>();
try
{
    if (siloCount > 1)
    {
        cluster = await ClusterProcesses.StartAsync(silos: siloCount, zooKeeperMembers: 1);
        foreach (var member in cluster.Silos)
            connections.Add(await OrleansFsClient.ConnectAsync(new OrleansFsClientOptions { Gateways = [member.Gateway], ConnectTimeout = TimeSpan.FromSeconds(30) }));
    }
    else
    {
        string gateway = ArgValue("--gateway") ?? (silo = await SiloProcess.StartAsync()).Gateway;
        connections.Add(await OrleansFsClient.ConnectAsync(new OrleansFsClientOptions { Gateways = [gateway] }));
    }
    Console.WriteLine($"Metadata benchmark: {seconds} s per case, after 1 s warm-up; {siloCount} silo(s), {connections.Count} client(s); " +
        $"{Environment.ProcessorCount} cores; load average {File.ReadAllText("/proc/loadavg").Trim()}");
    string cpuHeader = $" {"client µs",8} {"silo µs",8}";
    Console.WriteLine($"{"system",-10} {"operation",-22} {"callers",7} {"ops/s",10} {"p50 ms",8} {"p99 ms",8} {"ops",9}{(cluster is null ? cpuHeader : "  at master's silo")}");
    var cases = new MetadataCases(connections.Select(c => c.FileSystem).ToList(), duration, silo?.ProcessId ?? 0);
    if (!args.Contains("--no-creates"))
        foreach (int callers in callerCounts) Print("OrleansFs", "create", callers, await cases.CreatesAsync(callers));
    foreach (bool fromMaster in new[] { false, true })
    {
        foreach (int callers in callerCounts)
        {
            var masterSilo = cluster?.SiloAt((await connections[0].FileSystem.GetMasterInfoAsync()).SiloAddress);
            double before = masterSilo is null ? 0 : await MasterGetStatusCallsAsync(masterSilo);
            var result = await cases.GetStatusAsync(callers, fromMaster);
            string atMaster = masterSilo is null ? $" {cases.LastCpu.PerOperation(result.Operations)}" : $"  {await MasterGetStatusCallsAsync(masterSilo) - before:0}";
            Print("OrleansFs", fromMaster ? "getStatus (master)" : "getStatus (standbys)", callers, result, atMaster);
        }
    }
}
finally
{
    foreach (var connection in connections) await connection.DisposeAsync();
    if (silo is not null) await silo.DisposeAsync();
    if (cluster is not null) await cluster.DisposeAsync();
}

if (!args.Contains("--no-zookeeper"))
{
    await using var zookeeper = await ZooKeeperEnsemble.StartStandaloneAsync();
    var peer = new ZooKeeperLoad(zookeeper.ConnectionString, duration, payloadBytes: 64);
    foreach (int callers in callerCounts) Print("ZooKeeper", "create", callers, await peer.RunAsync("create", callers));
    foreach (int callers in callerCounts) Print("ZooKeeper", "getData", callers, await peer.RunAsync("getData", callers));
}
Console.WriteLine($"load average at the end {File.ReadAllText("/proc/loadavg").Trim()}");

void Print(string system, string operation, int callers, LatencySummary r, string extra = "") =>
    Console.WriteLine($"{system,-10} {operation,-22} {callers,7} {r.OpsPerSecond,10:0} {r.P50Ms,8:0.000} {r.P99Ms,8:0.000} {r.Operations,9}{extra}");

// getStatus calls the master's silo served, from its /metrics (the master activation's and its local readers').
static async Task<double> MasterGetStatusCallsAsync(SiloProcess master)
{
    await Task.Delay(TimeSpan.FromMilliseconds(400)); // the Prometheus endpoint caches its answer for 300 ms
    string text = await master.Http.GetStringAsync(new Uri(master.WebAddress, "metrics"));
    return text.Split('\n')
        .Where(l => l.StartsWith("ofs_operations_total{", StringComparison.Ordinal) && l.Contains("operation=\"GetStatus\"", StringComparison.Ordinal))
        .Sum(l => double.Parse(l.Split(' ')[1], CultureInfo.InvariantCulture));
}

string? ArgValue(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
