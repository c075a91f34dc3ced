using System.Diagnostics;
using OrleansFs.Client;
using OrleansFs.Files;
using OrleansFs.TestSupport;

// Failover benchmark: 3 silos on a 3-member ZooKeeper ensemble, a namespace of --files files, a continuous
// client workload, then faults of the master's silo (restarted each time). For each: the time from the fault to
// the client's first successful write (a durable mkdir, which only the new master can answer) and first successful
// read (getStatus, which a warm standby may answer throughout); p50 and max.
//   --kills N / --terms N: SIGKILLs and SIGTERMs (the default: 10 of each, silos on loopback).
//   --fault kill|term|vanish|partition [--runs N]: N faults of one kind instead (10). vanish sets the master's host's
//     link down (packets dropped, no reset), partition drops everything arriving at it (it still sends); both run
//     each silo on a host of its own (tests/TestSupport/Network), as --netns does for kill and term. Those runs
//     split the time into detection (from the last time the cluster heard from the old silo to its death, as the
//     new master recorded it), recovery, and client reconnect (from the new master serving to the first write).
// --journal postgres puts the journal in a real PostgreSQL 15 (started here, fsync on) instead of the shared directory.
//   dotnet run -c Release --project bench/Failover.Bench -- --files 100000 --kills 10 --terms 10 [--journal postgres]
//   dotnet run -c Release --project bench/Failover.Bench -- --files 10000 --fault vanish --runs 10
int files = Arg("--files", 100_000);
string? fault = args.Contains("--fault") ? ArgText("--fault", "") : null;
if (fault is not (null or "kill" or "term" or "vanish" or "partition")) throw new ArgumentException("--fault takes kill, term, vanish or partition");
int runs = Arg("--runs", 10);
int kills = fault is null ? Arg("--kills", 10) : fault == "kill" ? runs : 0;
int terms = fault is null ? Arg("--terms", 10) : fault == "term" ? runs : 0;
int hostFaults = fault is "vanish" or "partition" ? runs : 0;
bool inNamespaces = hostFaults > 0 || args.Contains("--netns");
// The client's per-attempt bound (OrleansFsClientOptions.AttemptTimeout, default 3 s).
int attemptMs = Arg("--attempt-ms", 3000);
// Extra `--Section:Key=value` settings for every silo, e.g. --silo-arg --Failover:EnableConnectionLivenessCheck=true.
List<string> siloSettings = args.Select((a, i) => (a, i)).Where(p => p.a == "--silo-arg" && p.i + 1 < args.Length).Select(p => args[p.i + 1]).ToList();

string journal = ArgText("--journal", "directory");
if (journal is not ("directory" or "postgres")) throw new ArgumentException("--journal takes directory or postgres");
if (inNamespaces && journal == "postgres") throw new ArgumentException("--journal postgres runs on loopback, which silos in namespaces cannot reach; use the directory journal");
await using var postgres = journal == "postgres" ? await PostgreSqlServer.StartAsync(durable: true) : null;
List<string> journalArguments = postgres is null ? [] :
    ["--Journal:Kind=PostgreSql", $"--PostgreSql:ConnectionString={await postgres.CreateDatabaseAsync()}"];
await using var cluster = inNamespaces
    ? await ClusterProcesses.StartInNamespacesAsync(silos: 3, zooKeeperMembers: 3, extraSiloArguments: siloSettings)
    : await ClusterProcesses.StartAsync(silos: 3, zooKeeperMembers: 3, extraSiloArguments: [.. journalArguments, .. siloSettings]);
await using var connection = await OrleansFsClient.ConnectAsync(new OrleansFsClientOptions
{
    ZooKeeperConnectionString = cluster.ZooKeeperConnectionString,
    ConnectTimeout = TimeSpan.FromSeconds(60),
    AttemptTimeout = TimeSpan.FromMilliseconds(attemptMs),
});
var fs = connection.FileSystem;
Console.WriteLine($"cluster up ({journal} journal{(inNamespaces ? ", a host per silo" : "")}): silos {string.Join(", ", cluster.Silos.Select(s => s.SiloAddress))}" +
    $"{(siloSettings.Count > 0 ? $"; silo settings {string.Join(' ', siloSettings)}" : "")}; load {File.ReadAllText("/proc/loadavg").Trim()}");

var fill = Stopwatch.StartNew();
await FillAsync(fs, files);
Console.WriteLine($"namespace: {files} files in {fill.Elapsed.TotalSeconds:F1} s");

using var stop = new CancellationTokenSource();
var workload = Task.Run(() => RunWorkloadAsync(fs, files, stop.Token));

var killTimes = new List<double>();
var killReads = new List<double>();
var split = new FaultSplit();
for (int i = 1; i <= kills; i++)
{
    await StandbysWarmAsync(cluster);
    var info = await fs.GetMasterInfoAsync();
    var victim = cluster.SiloAt(info.SiloAddress);
    var clock = Stopwatch.StartNew();
    var killedAt = DateTimeOffset.UtcNow;
    victim.Kill();
    var (firstSuccess, firstRead) = await FirstSuccessesAsync(fs, clock);
    killTimes.Add(firstSuccess.TotalMilliseconds);
    killReads.Add(firstRead.TotalMilliseconds);
    var after = await fs.GetMasterInfoAsync();
    Console.WriteLine($"SIGKILL {i}: {victim.SiloAddress} epoch {info.Epoch} -> {after.SiloAddress} epoch {after.Epoch}: first write after {firstSuccess.TotalMilliseconds:F0} ms, first read after {firstRead.TotalMilliseconds:F0} ms{await TakeoverSummaryAsync(fs, killedAt, firstSuccess, split)}");
    await victim.StartProcessAsync(ClusterProcesses.ReadyTimeout);
}

var hostTimes = new List<double>();
var hostReads = new List<double>();
for (int i = 1; i <= hostFaults; i++)
{
    await StandbysWarmAsync(cluster);
    var info = await fs.GetMasterInfoAsync();
    var victim = cluster.SiloAt(info.SiloAddress);
    var host = victim.Host!;
    var clock = Stopwatch.StartNew();
    var faultAt = DateTimeOffset.UtcNow;
    if (fault == "vanish") cluster.Network.Vanish(host);
    else cluster.Network.PartitionInbound(host);
    var (firstSuccess, firstRead) = await FirstSuccessesAsync(fs, clock);
    hostTimes.Add(firstSuccess.TotalMilliseconds);
    hostReads.Add(firstRead.TotalMilliseconds);
    var after = await fs.GetMasterInfoAsync();
    Console.WriteLine($"{fault} {i}: {victim.SiloAddress} epoch {info.Epoch} -> {after.SiloAddress} epoch {after.Epoch}: first write after {firstSuccess.TotalMilliseconds:F0} ms, first read after {firstRead.TotalMilliseconds:F0} ms{await TakeoverSummaryAsync(fs, faultAt, firstSuccess, split)}");
    // The host comes back; the silo declared dead is replaced by a fresh one, as systemd's Restart= would.
    cluster.Network.Return(host);
    victim.Kill();
    await victim.StartProcessAsync(ClusterProcesses.ReadyTimeout);
}

var termTimes = new List<double>();
for (int i = 1; i <= terms; i++)
{
    await StandbysWarmAsync(cluster);
    var info = await fs.GetMasterInfoAsync();
    var leaving = cluster.SiloAt(info.SiloAddress);
    var stopping = leaving.StopAsync();
    // The longest any one call waits while the master moves is the unavailability a client sees.
    double longest = 0;
    var window = Stopwatch.StartNew();
    while (!stopping.IsCompleted || window.Elapsed < TimeSpan.FromSeconds(1))
    {
        var call = Stopwatch.StartNew();
        await FirstSuccessAsync(fs, write: true);
        longest = Math.Max(longest, call.Elapsed.TotalMilliseconds);
        call.Restart();
        await FirstSuccessAsync(fs, write: false);
        longest = Math.Max(longest, call.Elapsed.TotalMilliseconds);
    }
    await stopping;
    termTimes.Add(longest);
    var after = await fs.GetMasterInfoAsync();
    Console.WriteLine($"SIGTERM {i}: {leaving.SiloAddress} epoch {info.Epoch} -> {after.SiloAddress} epoch {after.Epoch}: longest call {longest:F0} ms{await TakeoverSummaryAsync(fs, null, null, null)}");
    await leaving.StartProcessAsync(ClusterProcesses.ReadyTimeout);
}

stop.Cancel();
var (ok, failed) = await workload;
Console.WriteLine($"workload: {ok} calls succeeded, {failed} failed");
Console.WriteLine($"load {File.ReadAllText("/proc/loadavg").Trim()}");
Report("SIGKILL: kill -> first successful write", killTimes);
Report("SIGKILL: kill -> first successful read", killReads);
Report($"{fault}: fault -> first successful write", hostTimes);
Report($"{fault}: fault -> first successful read", hostReads);
Report("SIGTERM: longest metadata call while the master moves", termTimes);
if (killTimes.Count + hostTimes.Count > 0)
{
    Report("  detection (its process exit, else last heard from it -> declared dead)", split.Detection);
    Report("  detection from the first suspicion vote", split.FromVote);
    Report("  recovery (new master: checkpoint/standby + journal)", split.Recovery);
    Report("  fault -> new master serving", split.Serving);
    Report("  client reconnect (new master serving -> first successful write)", split.Reconnect);
}
return 0;

// A write and a read started together at the fault; each time is taken when its call first succeeds.
static async Task<(TimeSpan Write, TimeSpan Read)> FirstSuccessesAsync(IFileSystem fs, Stopwatch sinceFault)
{
    async Task<TimeSpan> TimedAsync(bool write)
    {
        await FirstSuccessAsync(fs, write);
        return sinceFault.Elapsed;
    }
    var write = TimedAsync(write: true);
    var read = TimedAsync(write: false);
    return (await write, await read);
}

// One metadata call that keeps going past the client's own deadline: the figure is when the cluster answers again.
// A write is a durable mkdir of a fresh name, so only a master that holds the journal can answer it.
static async Task FirstSuccessAsync(IFileSystem fs, bool write)
{
    for (int attempt = 1; ; attempt++)
    {
        try
        {
            if (write) await fs.CreateDirectoryAsync($"/bench/probe-{Guid.NewGuid():N}");
            else await fs.GetStatusAsync("/bench/d0000");
            return;
        }
        catch (OrleansFs.Errors.FsException e) when (attempt < 10)
        {
            Console.WriteLine($"  call gave up ({e.Message}); calling again");
        }
    }
}

// Like an operator, fault the cluster only once it is whole again: the restarted silo's warm standby has caught up.
static async Task StandbysWarmAsync(ClusterProcesses cluster)
{
    var clock = Stopwatch.StartNew();
    foreach (var silo in cluster.Silos)
    {
        // A silo declared dead while it ran (false suspicion under load) stops itself: say so and start it again.
        if (!silo.IsRunning)
        {
            Console.WriteLine($"  silo {silo.SiloAddress} exited by itself (declared dead?); starting it again");
            await silo.StartProcessAsync(ClusterProcesses.ReadyTimeout);
        }
        await silo.WaitStandbyAsync(TimeSpan.FromSeconds(120));
    }
    if (clock.ElapsedMilliseconds > 50) Console.WriteLine($"  (waited {clock.ElapsedMilliseconds} ms for every warm standby to catch up)");
}

// Where the time went, as the new master recorded it.
static async Task<string> TakeoverSummaryAsync(IFileSystem fs, DateTimeOffset? faultAt, TimeSpan? firstSuccess, FaultSplit? split)
{
    var last = (await fs.GetTakeoversAsync())[^1];
    // Same host, same clock: how much of the client's wait the new master was already serving.
    string serving = faultAt is { } at ? $"serving {(last.StartedAt - at).TotalMilliseconds:F0} ms after the fault, " : "";
    string detection = last.DetectionDuration is { } d ? $"{d.TotalMilliseconds:F0} ms from process exit or last heard to death" : "unknown";
    if (last.DetectionFromFirstVote is { } v) detection += $" ({v.TotalMilliseconds:F0} ms from first suspicion vote)";
    if (faultAt is { } fault && firstSuccess is { } first && split is not null)
        split.Add(last, (last.StartedAt - fault).TotalMilliseconds, first.TotalMilliseconds);
    return $" ({serving}takeover {last.Cause}: detection {detection}, recovery {last.RecoveryDuration.TotalMilliseconds:F0} ms, {last.RecordsReplayed} records replayed)";
}

static void Report(string what, List<double> ms)
{
    if (ms.Count == 0) return;
    var sorted = ms.Order().ToList();
    Console.WriteLine($"{what}: runs {ms.Count}, p50 {sorted[(sorted.Count - 1) / 2]:F0} ms, max {sorted[^1]:F0} ms");
}

static async Task FillAsync(IFileSystem fs, int files)
{
    const int perDirectory = 1000;
    await fs.CreateDirectoryAsync("/bench", recursive: true);
    int directories = Math.Max(1, (files + perDirectory - 1) / perDirectory);
    for (int d = 0; d < directories; d++) await fs.CreateDirectoryAsync($"/bench/d{d:D4}");
    await Parallel.ForEachAsync(Enumerable.Range(0, files), new ParallelOptions { MaxDegreeOfParallelism = 64 },
        async (i, ct) => await fs.CreateFileEntryAsync($"/bench/d{i / perDirectory:D4}/f{i:D6}", new CreateFileOptions(), ct));
}

static async Task<(long Ok, long Failed)> RunWorkloadAsync(IFileSystem fs, int files, CancellationToken stop)
{
    long ok = 0, failed = 0;
    var random = new Random(7);
    for (long n = 0; !stop.IsCancellationRequested; n++)
    {
        int i = random.Next(Math.Max(1, files));
        try
        {
            await fs.GetStatusAsync($"/bench/d{i / 1000:D4}/f{i:D6}");
            await fs.CreateDirectoryAsync($"/bench/w{n:D7}");
            ok++;
        }
        catch (Exception) when (!stop.IsCancellationRequested)
        {
            failed++;
        }
    }
    return (ok, failed);
}

string ArgText(string name, string fallback)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}

int Arg(string name, int fallback)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1]) : fallback;
}

/// <summary>Each fault's time split as the new master recorded it, for the p50 and max of each part.</summary>
sealed class FaultSplit
{
    public List<double> Detection { get; } = [];
    public List<double> FromVote { get; } = [];
    public List<double> Recovery { get; } = [];
    public List<double> Serving { get; } = [];
    public List<double> Reconnect { get; } = [];

    public void Add(OrleansFs.Master.MasterTakeover takeover, double servingMs, double firstSuccessMs)
    {
        if (takeover.DetectionDuration is { } d) Detection.Add(d.TotalMilliseconds);
        if (takeover.DetectionFromFirstVote is { } v) FromVote.Add(v.TotalMilliseconds);
        Recovery.Add(takeover.RecoveryDuration.TotalMilliseconds);
        Serving.Add(servingMs);
        Reconnect.Add(Math.Max(0, firstSuccessMs - servingMs));
    }
}
