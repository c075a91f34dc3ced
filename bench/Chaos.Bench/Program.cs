using System.Diagnostics;
using OrleansFs.Client;
using OrleansFs.TestSupport;
using OrleansFs.TestSupport.Chaos;

// Chaos run, long form: 3 silos on a 3-member ZooKeeper ensemble; --workers concurrent workers create, write
// (CACHE_THROUGH), rename and delete while --kills SIGKILLs hit random silos (odd ones the master's), each
// restarted, and one ZooKeeper member is killed. With --vanishes N (as root) each silo runs on a host of its own
// (a network namespace on a bridge) and N more faults, spread among the kills, make the victim's host vanish
// (link down, packets dropped, then back). Afterwards every acknowledged operation is checked and the tally
// printed: acknowledged / reflected exactly once / lost / doubled / unknown, persisted bytes verified.
//   dotnet run -c Release --project bench/Chaos.Bench -- --kills 20 --workers 4 --between 6
//   dotnet run -c Release --project bench/Chaos.Bench -- --kills 15 --vanishes 5 --workers 4 --between 6
int kills = Arg("--kills", 20);
int vanishes = Arg("--vanishes", 0);
int workers = Arg("--workers", 4);
var between = TimeSpan.FromSeconds(Arg("--between", 6));
var clock = Stopwatch.StartNew();
void Progress(string line) => Console.WriteLine($"[{clock.Elapsed:mm\\:ss}] {line}");

await using var cluster = vanishes > 0
    ? await ClusterProcesses.StartInNamespacesAsync(silos: 3, zooKeeperMembers: 3)
    : await ClusterProcesses.StartAsync(silos: 3, zooKeeperMembers: 3);
await using var connection = await OrleansFsClient.ConnectAsync(new OrleansFsClientOptions
{
    ZooKeeperConnectionString = cluster.ZooKeeperConnectionString,
    ConnectTimeout = TimeSpan.FromSeconds(60),
});
var fs = connection.FileSystem;
Progress($"cluster up: silos {string.Join(", ", cluster.Silos.Select(s => s.SiloAddress))}; load {File.ReadAllText("/proc/loadavg").Trim()}");

var workload = new ChaosWorkload(fs, connection.Data, "/chaos", workers);
var faults = new ChaosFaults(cluster, async () => (await fs.GetMasterInfoAsync()).SiloAddress,
    line => Progress($"{line}; {workload.Ledger.Count(o => o.Acknowledged)} operations acknowledged so far"));
using var stop = new CancellationTokenSource();
var running = workload.RunAsync(stop.Token);
await faults.RunAsync(kills, between, vanishes: vanishes);
stop.Cancel();
await running;

Progress($"checking {workload.Ledger.Count} recorded operations");
var tally = await ChaosTally.CheckAsync(fs, connection.Data, workload.Ledger.ToList());
foreach (string problem in tally.Problems.Take(20)) Console.WriteLine($"  {problem}");
Progress($"kills {kills} (+1 ZooKeeper member), host vanishes {vanishes}, workers {workers}: {tally}");
Progress($"load {File.ReadAllText("/proc/loadavg").Trim()}");
return tally.Lost == 0 && tally.Doubled == 0 ? 0 : 1;

int Arg(string name, int fallback)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1]) : fallback;
}
