using System.Diagnostics;
using System.IO.Hashing;
using OrleansFs.Bench;
using OrleansFs.Client;
using OrleansFs.Client.Streams;
using OrleansFs.Files;
using OrleansFs.Lineage;
using OrleansFs.TestSupport;

// Lineage benchmark: on two silos (ZooKeeper membership, shared journal and under-storage), an in-process job
// (TransformJob) turns a persisted SIZE input into a SIZE output kept in memory. The silo holding the output is
// SIGKILLed; once the cluster has noticed (the output's blocks are located on the survivor), the read that
// rebuilds it through lineage is timed, and compared with the job's own run (its recorded duration). Then the
// output is persisted, its holder killed again, and the read that reloads it from the under-storage is timed.
// Medians of --reps. Usage: dotnet run -c Release --project bench/Lineage.Bench [-- --mib 256 --reps 3]
int mib = Option("--mib", 256);
int reps = Option("--reps", 3);
long size = (long)mib << 20;
string jobAssembly = typeof(TransformJob).Assembly.Location;
Console.WriteLine($"Lineage benchmark {DateTime.UtcNow:u}: {mib} MiB output, median of {reps}, load average {LoadAverage()}");
var clock = Stopwatch.StartNew();
await using var cluster = await ClusterProcesses.StartAsync(silos: 2, zooKeeperMembers: 1, extraSiloArguments:
[
    $"--Worker:MemoryBytes={4L * size + (256L << 20)}",
    $"--Lineage:JobAssemblies:0={jobAssembly}",
    // The background policy must not persist the output before it is lost: this measures recompute.
    "--Lineage:Checkpoint:Enabled=false",
]);
Console.WriteLine($"silos {string.Join(", ", cluster.Silos.Select(s => $"{s.SiloAddress} (pid {s.ProcessId})"))} ready after {clock.Elapsed.TotalSeconds:0} s");

var input = new byte[size];
new Random(42).NextBytes(input);
var expected = (byte[])input.Clone();
TransformJob.Transform(expected);
ulong expectedHash = XxHash64.HashToUInt64(expected);
await using (var writer = await ConnectAsync(cluster.Silos[0]))
{
    await writer.FileSystem.CreateDirectoryAsync("/bench");
    await using var stream = await writer.Data.CreateFileAsync("/bench/input", new CreateFileOptions { WriteType = WriteType.CacheThrough });
    await stream.WriteAsync(input);
}

var job = new LineageJob { Kind = LineageJobKind.InProcess, TypeName = typeof(TransformJob).FullName };
var runs = new List<(double Job, double Rebuild, double Recompute, double Reload)>();
for (int rep = 1; rep <= reps; rep++)
{
    await RestartDeadAsync();
    string output = $"/bench/output-{rep}";
    // Through every gateway: it outlives the silo that is killed.
    await using var any = await OrleansFsClient.ConnectAsync(new OrleansFsClientOptions
    {
        Gateways = cluster.Silos.Select(s => s.Gateway).ToList(), ConnectTimeout = TimeSpan.FromSeconds(60),
    });
    long id = await any.FileSystem.CreateLineageAsync(["/bench/input"], [output], job, run: true);
    var first = await WaitRunAsync(any.FileSystem, id, LineageRunTrigger.Requested);
    double jobSeconds = Seconds(first);

    var holder = await LoseAsync(output);
    // The first run read its input from memory: if the input was on the killed silo too, bring it back first.
    await ReadAllAsync("/bench/input");
    var rebuild = await TimedReadAsync(output);
    var recompute = (await any.FileSystem.GetLineageAsync(id)).Runs.LastOrDefault(r => r.Trigger == LineageRunTrigger.Recompute)
        ?? throw new InvalidOperationException($"the read of {output} was served without a recompute run");
    Console.WriteLine($"[run {rep}/{reps}, {clock.Elapsed.TotalSeconds:0}s] job {jobSeconds:0.000} s on {first.Silo}; holder {holder} killed; " +
                      $"rebuilding read {rebuild:0.000} s (recompute run {Seconds(recompute):0.000} s on {recompute.Silo}) = {rebuild / jobSeconds:0.00}x");

    await RestartDeadAsync();
    await using (var persister = await ConnectAsync(cluster.Silos.First(s => s.IsRunning)))
        await persister.Data.PersistAsync(output);
    holder = await LoseAsync(output);
    var reload = await TimedReadAsync(output);
    int recomputes = (await any.FileSystem.GetLineageAsync(id)).Runs.Count(r => r.Trigger == LineageRunTrigger.Recompute);
    if (recomputes != 1) throw new InvalidOperationException($"the persisted {output} was recomputed again ({recomputes} recompute runs)");
    Console.WriteLine($"[run {rep}/{reps}, {clock.Elapsed.TotalSeconds:0}s] persisted; holder {holder} killed; reloading read {reload:0.000} s");
    runs.Add((jobSeconds, rebuild, Seconds(recompute), reload));
    await any.FileSystem.DeleteLineageAsync(id);
}

double Median(Func<(double Job, double Rebuild, double Recompute, double Reload), double> pick)
{
    var sorted = runs.Select(pick).Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
Console.WriteLine($"--- done in {clock.Elapsed.TotalSeconds:0} s, load average {LoadAverage()}; medians of {reps}:");
Console.WriteLine("| output | job run | rebuilding read | recompute run | rebuild / job | reload from under-storage | reload / job |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
Console.WriteLine($"| {mib} MiB | {Median(r => r.Job):0.000} s | {Median(r => r.Rebuild):0.000} s | {Median(r => r.Recompute):0.000} s | " +
                  $"{Median(r => r.Rebuild / r.Job):0.00} (goal <= 1.3) | {Median(r => r.Reload):0.000} s | {Median(r => r.Reload / r.Job):0.00} |");

// Kills the silo holding the output's blocks and drops its memory tier, then waits until the cluster has noticed: the master answers and
// the blocks are located on the survivor (not yet holding them). The timed read starts only then.
async Task<string> LoseAsync(string path)
{
    await using var probe = await ConnectAsync(cluster.Silos.First(s => s.IsRunning));
    var holders = (await probe.Data.GetBlockLocationsAsync(path)).Select(l => l.Location.SiloAddress).Distinct().ToList();
    if (holders.Count != 1) throw new InvalidOperationException($"{path} is held by {string.Join(", ", holders)}: expected one silo");
    var victim = cluster.SiloAt(holders[0]);
    var survivor = cluster.Silos.Single(s => s != victim && s.IsRunning);
    // A worker restart keeps serving the blocks left in its tmpfs directory; a lost machine loses them. Drop them.
    string memory = File.ReadAllText($"/proc/{victim.ProcessId}/cmdline").Split('\0')
        .Single(a => a.StartsWith("--Worker:MemoryDirectory=", StringComparison.Ordinal))["--Worker:MemoryDirectory=".Length..];
    victim.Kill();
    foreach (var entry in Directory.EnumerateFileSystemEntries(memory))
    {
        if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
        else File.Delete(entry);
    }
    await using var watcher = await ConnectAsync(survivor);
    var deadline = Stopwatch.StartNew();
    string last = "";
    while (deadline.Elapsed < TimeSpan.FromMinutes(3))
    {
        try
        {
            var located = await watcher.Data.GetBlockLocationsAsync(path).WaitAsync(TimeSpan.FromSeconds(10));
            if (located.All(l => l.Location.SiloAddress == survivor.SiloAddress && l.Location.Stored is null)) return victim.SiloAddress;
            last = string.Join(", ", located.Select(l => $"{l.Location.SiloAddress} stored {l.Location.Stored is not null}"));
        }
        catch (Exception e)
        {
            last = e.Message; // the dead silo is not declared dead yet, or the master is moving: ask again
        }
        await Task.Delay(500);
    }
    throw new TimeoutException($"{path}: the cluster did not notice {victim.SiloAddress} died; last answer: {last}");
}

async Task<double> TimedReadAsync(string path)
{
    await using var reader = await ConnectAsync(cluster.Silos.First(s => s.IsRunning));
    var buffer = new byte[1 << 20];
    var hash = new XxHash64();
    var timer = Stopwatch.StartNew();
    await using (var stream = await reader.Data.OpenFileAsync(path, new OpenFileOptions()))
    {
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0) hash.Append(buffer.AsSpan(0, read));
    }
    double seconds = timer.Elapsed.TotalSeconds;
    if (hash.GetCurrentHashAsUInt64() != expectedHash) throw new InvalidOperationException($"{path} read back different bytes");
    return seconds;
}

async Task ReadAllAsync(string path)
{
    await using var reader = await ConnectAsync(cluster.Silos.First(s => s.IsRunning));
    await using var stream = await reader.Data.OpenFileAsync(path, new OpenFileOptions());
    await stream.CopyToAsync(Stream.Null);
}

async Task RestartDeadAsync()
{
    foreach (var silo in cluster.Silos.Where(s => !s.IsRunning)) await silo.RestartAsync();
}

static async Task<LineageRun> WaitRunAsync(IFileSystem fs, long id, LineageRunTrigger trigger)
{
    var deadline = Stopwatch.StartNew();
    while (deadline.Elapsed < TimeSpan.FromMinutes(5))
    {
        var run = (await fs.GetLineageAsync(id)).Runs.LastOrDefault(r => r.Trigger == trigger);
        if (run is { Outcome: LineageRunOutcome.Succeeded }) return run;
        if (run is { Outcome: not LineageRunOutcome.Running, EndedAt: not null } && run.Attempt >= 3)
            throw new InvalidOperationException($"lineage {id}'s job failed: {run.Outcome} {run.Error}");
        await Task.Delay(100);
    }
    throw new TimeoutException($"lineage {id}'s job did not succeed within 5 minutes");
}

static double Seconds(LineageRun run) => (run.EndedAt!.Value - run.StartedAt).TotalSeconds;

static Task<OrleansFsConnection> ConnectAsync(SiloProcess silo) =>
    OrleansFsClient.ConnectAsync(new OrleansFsClientOptions { Gateways = [silo.Gateway], ConnectTimeout = TimeSpan.FromSeconds(60) });

static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ') is var f ? $"{f[0]} {f[1]} {f[2]}" : "";

int Option(string name, int fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
}
