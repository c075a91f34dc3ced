using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansFs.Files;
using OrleansFs.Grains.Journal;
using OrleansFs.Grains.Master;
using OrleansFs.Grains.Master.Entries;
using OrleansFs.Grains.Master.Inodes;
using OrleansFs.Grains.Failover.Standby;

// Master benchmark on the real DirectoryJournal: builds a namespace of ~1,000,000 inodes, then measures
// checkpoint write time, recovery time (checkpoint load + replay of the records after it), operation
// latency during a checkpoint against the same load without one, and the stall a stop-the-world copy
// (the design not taken) would cost.
// Usage: dotnet run -c Release --project bench/Master.Bench -- [--dir DIR] [--directories N] [--files-per-directory N] [--tail N]
//        dotnet run -c Release --project bench/Master.Bench -- --inodes 10000000 [--dir DIR]
// The --inodes mode builds the namespace through metadata loads (one journal record per directory of 999 files, as
// a metadata sync journals them), then fills the retry cache with ordinary creates, and reports build, checkpoint,
// recovery and warm-standby takeover times and the managed heap.

string root = ArgValue("--dir") ?? Path.Combine(Path.GetTempPath(), "ofs-master-bench-" + Environment.ProcessId);
int directories = int.Parse(ArgValue("--directories") ?? "1000");
int filesPerDirectory = int.Parse(ArgValue("--files-per-directory") ?? "999");
int tail = int.Parse(ArgValue("--tail") ?? "100000");
string journalDirectory = Path.Combine(root, "journal");
var masterOptions = new MasterOptions();
Console.WriteLine($"master bench in {root}, {Environment.ProcessorCount} cores, load average {LoadAverage()}");
if (args.Contains("--recover-only"))
{
    // Recovery alone, from the journal a previous run left in --dir (kept when --dir is given).
    await Recoveries(runs: 3);
    return;
}
if (ArgValue("--inodes") is { } largeCount)
{
    try
    {
        await RunLarge(long.Parse(largeCount));
    }
    finally
    {
        if (ArgValue("--dir") is null) Directory.Delete(root, recursive: true);
    }
    return;
}

try
{
    // 1. Build the namespace (fsync off: it only makes the build faster, checkpoints and recovery read the same files).
    var master = await Start(fsync: false);
    var clock = Stopwatch.StartNew();
    var batch = new List<Task>(4096);
    for (int d = 0; d < directories; d++)
    {
        batch.Add(master.CreateDirectory($"/data/d{d:D5}", true, Guid.NewGuid()));
        for (int f = 0; f < filesPerDirectory; f++)
            batch.Add(master.CreateFile($"/data/d{d:D5}/file-{f:D6}.parquet", new CreateFileOptions(), Guid.NewGuid()));
        if (batch.Count >= 4000) await Drain(batch);
    }
    await Drain(batch);
    long inodes = master.State.Inodes.Count;
    Console.WriteLine($"built {inodes:N0} inodes in {clock.Elapsed.TotalSeconds:F1} s ({inodes / clock.Elapsed.TotalSeconds:N0} creates/s, in-process, fsync off)");
    await ReportHeap("after build", master);

    // 2. Checkpoint write time, nothing else running.
    await TimeCheckpoint(master, inodes);

    // 3. The stall the rejected design would have: copy every inode out under the lock.
    clock.Restart();
    var copy = new Dictionary<long, Inode>(master.State.Inodes.Count);
    foreach (var inode in master.State.Inodes.Values()) copy[inode.Id] = inode;
    Console.WriteLine($"stop-the-world copy of the inode table (design not taken): {clock.Elapsed.TotalMilliseconds:N0} ms stall; " +
                      "copy-on-write snapshot: one reference");
    copy = null;

    // 4. Records after the checkpoint, to be replayed.
    for (int i = 0; i < tail; i++)
    {
        batch.Add(master.CreateFile($"/tail/t{i / 1000:D4}/f{i:D7}", new CreateFileOptions(), Guid.NewGuid()));
        if (batch.Count >= 4000) await Drain(batch);
    }
    await Drain(batch);
    await master.DisposeAsync();

    // 5. Recovery: checkpoint load + replay of the tail (each run also replays the earlier runs' takeover records).
    for (int run = 1; run <= 3; run++)
    {
        GC.Collect();
        clock.Restart();
        double cpu = CpuMs();
        master = await Start(fsync: true);
        Console.WriteLine($"recovery run {run}: {master.RecoveryDuration.TotalMilliseconds:N0} ms for {master.State.Inodes.Count:N0} inodes " +
                          $"(checkpoint load + {master.GetInfo().JournalSequence - master.GetInfo().LastCheckpointSequence - 1:N0} records replayed), " +
                          $"{clock.Elapsed.TotalMilliseconds:N0} ms including journal open, process CPU {CpuMs() - cpu:N0} ms");
        if (run == 1) await ReportHeap("after recovery", master);
        if (run < 3) await master.DisposeAsync();
    }

    // 5b. Takeover from a warm standby that followed the journal: no checkpoint load, only the tail replayed.
    master = await Takeovers(master, runs: 3);

    // 6. Latency of durable creates (fsync on, 8 callers) without and during a checkpoint.
    var quiet = await Load(master, 8, TimeSpan.FromSeconds(3), until: null);
    Report("creates, 8 callers, fsync on, no checkpoint     ", quiet);
    clock.Restart();
    var checkpoint = master.CheckpointAsync();
    var during = await Load(master, 8, TimeSpan.FromMinutes(1), until: checkpoint);
    Console.WriteLine($"checkpoint under load: {clock.Elapsed.TotalMilliseconds:N0} ms");
    Report("creates, 8 callers, fsync on, during checkpoint ", during);

    // 7. In-memory getStatus cost on the full namespace (no Orleans, no network).
    var rng = new Random(7);
    clock.Restart();
    int lookups = 1_000_000;
    for (int i = 0; i < lookups; i++)
        master.GetStatus($"/data/d{rng.Next(directories):D5}/file-{rng.Next(filesPerDirectory):D6}.parquet");
    Console.WriteLine($"getStatus in-process: {lookups / clock.Elapsed.TotalSeconds:N0} ops/s on one thread");
    await master.DisposeAsync();
}
finally
{
    if (ArgValue("--dir") is null) Directory.Delete(root, recursive: true);
}

async Task RunLarge(long target)
{
    const int perDirectory = 999;
    int retryFill = masterOptions.RetryCacheMaxEntries;
    long directoryCount = Math.Max(1, (target - retryFill) / (perDirectory + 1));
    var master = await Start(fsync: false);
    var clock = Stopwatch.StartNew();
    var loads = new List<Task>(64);
    for (long d = 0; d < directoryCount; d++)
    {
        // Fresh name strings per directory, as names decoded from a journal or a listing would be (not shared).
        var children = Enumerable.Range(0, perDirectory)
            .Select(f => new LoadedChild($"file-{f:D6}.parquet", false, 64L << 20, 1_700_000_000_000)).ToList();
        loads.Add(master.LoadMetadata($"/data/d{d:D7}", 64L << 20, children));
        if (loads.Count >= 64) await Drain(loads);
    }
    await Drain(loads);
    for (int i = 0; i < retryFill; i++)
    {
        loads.Add(master.CreateFile($"/fill/f{i / 1000:D4}/file-{i:D7}", new CreateFileOptions(), Guid.NewGuid()));
        if (loads.Count >= 4000) await Drain(loads);
    }
    await Drain(loads);
    long inodes = master.State.Inodes.Count;
    Console.WriteLine($"built {inodes:N0} inodes in {clock.Elapsed.TotalSeconds:F1} s ({directoryCount:N0} metadata loads of {perDirectory} files, " +
                      $"then {retryFill:N0} creates; in-process, fsync off)");
    await ReportHeap("after build", master);

    await TimeCheckpoint(master, inodes);
    await master.DisposeAsync();
    master = null!; // else this frame keeps the built namespace alive through the recoveries' heap figure
    master = await Recoveries(runs: 3);
    await Takeovers(master, runs: 3);
}

async Task TimeCheckpoint(MasterService master, long inodes)
{
    var clock = Stopwatch.StartNew();
    double cpu = CpuMs();
    await master.CheckpointAsync();
    Console.WriteLine($"checkpoint of {inodes:N0} inodes + {master.Retry.Count:N0} retry entries: {clock.Elapsed.TotalMilliseconds:N0} ms " +
                      $"(process CPU {CpuMs() - cpu:N0} ms), {CheckpointBytes() / 1e6:F1} MB");
}

async Task<MasterService> Recoveries(int runs)
{
    MasterService master = null!;
    for (int run = 1; run <= runs; run++)
    {
        await Task.Yield();
        GC.Collect();
        var clock = Stopwatch.StartNew();
        double cpu = CpuMs();
        int collections = GC.CollectionCount(2);
        master = await Start(fsync: false);
        Console.WriteLine($"recovery run {run}: {master.RecoveryDuration.TotalMilliseconds:N0} ms for {master.State.Inodes.Count:N0} inodes, " +
                          $"{clock.Elapsed.TotalMilliseconds:N0} ms including journal open, process CPU {CpuMs() - cpu:N0} ms, " +
                          $"{GC.CollectionCount(2) - collections} gen2 GCs, load average {LoadAverage()}");
        if (run == 1) await ReportHeap("after recovery", master);
        if (run < runs) await master.DisposeAsync();
    }
    return master;
}

// Takeover from a warm standby that followed the journal: no checkpoint load, only the tail replayed.
async Task<MasterService> Takeovers(MasterService master, int runs)
{
    var batch = new List<Task>(1000);
    var clock = Stopwatch.StartNew();
    for (int run = 1; run <= runs; run++)
    {
        var standby = new MasterStandby(new DirectoryJournalFactory(Microsoft.Extensions.Options.Options.Create(new JournalOptions { Directory = journalDirectory }),
                NullLoggerFactory.Instance),
            Microsoft.Extensions.Options.Options.Create(new MasterOptions { StandbyPollInterval = TimeSpan.FromMilliseconds(100) }),
            NullLogger<MasterStandby>.Instance);
        clock.Restart();
        await standby.StartAsync(CancellationToken.None);
        while (!standby.IsWarm || standby.LastSequence < master.Journal.LastSequence) await Task.Delay(10);
        double catchUp = clock.Elapsed.TotalMilliseconds;
        for (int i = 0; i < 1000; i++) batch.Add(master.CreateFile($"/standby/r{run}-{Environment.TickCount64}/f{i:D4}", new CreateFileOptions(), Guid.NewGuid()));
        await Drain(batch);
        await master.DisposeAsync();
        await Task.Yield();
        GC.Collect();
        clock.Restart();
        var standbyCopy = await standby.TakeAsync(CancellationToken.None);
        master = NewMaster(fsync: true);
        var resumed = await master.RecoverAsync("127.0.0.1:11111", CancellationToken.None, standby: standbyCopy);
        Console.WriteLine($"takeover from a warm standby, run {run}: {clock.Elapsed.TotalMilliseconds:N0} ms for {master.State.Inodes.Count:N0} inodes " +
                          $"({resumed.RecordsReplayed:N0} records replayed after sequence {resumed.ResumedFrom}); the standby had caught up in {catchUp:N0} ms from its start");
        await standby.StopAsync(CancellationToken.None);
        standby.Dispose();
    }
    return master;
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

async Task<MasterService> Start(bool fsync)
{
    var service = NewMaster(fsync);
    await service.RecoverAsync("127.0.0.1:11111", CancellationToken.None);
    return service;
}

MasterService NewMaster(bool fsync)
{
    var options = new JournalOptions
    {
        Directory = journalDirectory,
        Fsync = fsync,
        // Checkpoints only when the bench asks.
        CheckpointRecords = long.MaxValue / 2,
        CheckpointBytes = long.MaxValue / 2,
    };
    var journal = new DirectoryJournalFactory(Microsoft.Extensions.Options.Options.Create(options), NullLoggerFactory.Instance).Create();
    return new MasterService(journal, masterOptions, options, TimeProvider.System, null, NullLogger.Instance);
}

static async Task Drain(List<Task> batch)
{
    await Task.WhenAll(batch);
    batch.Clear();
}

long CheckpointBytes() =>
    Directory.EnumerateFiles(journalDirectory, "*", SearchOption.AllDirectories)
        .Where(f => f.Contains("checkpoint", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".ckpt"))
        .Select(f => new FileInfo(f).Length).DefaultIfEmpty(0).Max();

// Callers take turns on the master's synchronous part (as a grain's turns would) and await durability outside it.
static async Task<List<double>> Load(MasterService master, int callers, TimeSpan duration, Task? until)
{
    var gate = new object();
    var latencies = new List<double>();
    var stop = Stopwatch.StartNew();
    bool Running() => until is null ? stop.Elapsed < duration : !until.IsCompleted && stop.Elapsed < duration;
    await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
    {
        var mine = new List<double>();
        for (int i = 0; Running(); i++)
        {
            long start = Stopwatch.GetTimestamp();
            Task call;
            lock (gate) call = master.CreateFile($"/load/{Guid.NewGuid():N}", new CreateFileOptions(), Guid.NewGuid());
            await call;
            mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        lock (latencies) latencies.AddRange(mine);
    })));
    if (until is not null) await until;
    return latencies;
}

static void Report(string label, List<double> latencies)
{
    latencies.Sort();
    double P(double q) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)(q * latencies.Count))];
    Console.WriteLine($"{label}: {latencies.Count,7:N0} ops  p50 {P(0.50):F2} ms  p99 {P(0.99):F2} ms  max {latencies.LastOrDefault():F1} ms");
}

// Managed heap after a full GC over the inode count, retry cache included (it is part of the master's state).
async Task ReportHeap(string when, MasterService service)
{
    // Off the stack that finished disposing the previous master: its frames would keep that master (a second
    // namespace) alive through the collection.
    await Task.Yield();
    await Task.Delay(100);
    long heap = GC.GetTotalMemory(forceFullCollection: true);
    long count = service.State.Inodes.Count;
    Console.WriteLine($"managed heap {when}: {heap / 1e6:N0} MB for {count:N0} inodes and {service.Retry.Count:N0} retry entries = {(double)heap / count:N0} bytes per inode");
    if (args.Contains("--pause-for-dump"))
    {
        Console.WriteLine($"paused for dotnet-gcdump -p {Environment.ProcessId}; press Enter");
        Console.ReadLine();
    }
}

static double CpuMs() => Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;

string? ArgValue(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
