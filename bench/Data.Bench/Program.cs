using System.Diagnostics;
using OrleansFs.Bench;
using OrleansFs.Client;
using OrleansFs.TestSupport;

// Data benchmark: writes and reads SIZE bytes through OrleansFs with 1 and 4 clients, on the remote path
// (short-circuit off: block bytes through the silo's data endpoint) and the same-host path (block files),
// next to Redis 1 MiB SET/GET (driven by redis-benchmark, the yardstick, and by StackExchange.Redis) and reading a
// tmpfs file, all in this run; prints medians of --reps runs and the ratios. With --tls: the remote path against a plain and a TLS silo in the same run, and the TLS/plain ratios.
// With --large: a 4 GiB file (--large-mib) written and read by 1 and 4 clients, with the peak RSS of client and silo.
// --memory-root DIR puts the silo's memory tier and the tmpfs peer's file under DIR instead of /dev/shm, e.g. a tmpfs
// mounted with huge=within_size (docs/operations.md, "The memory tier's tmpfs").
// Usage: dotnet run -c Release --project bench/Data.Bench [-- --mib 1024 --reps 3] [--tls] [--large [--large-mib 4096]] [--memory-root DIR]
int mib = Option("--mib", 1024);
int reps = Option("--reps", 3);
int warmup = Option("--warmup", 1);
long total = (long)mib << 20;
var value = new byte[1 << 20];
new Random(42).NextBytes(value);

if (args.Contains("--tls"))
{
    Console.WriteLine($"Data benchmark --tls {DateTime.UtcNow:u}: {mib} MiB per measurement, median of {reps} after {warmup} uncounted warm-up round(s), load average {LoadAverage()}");
    var started = Stopwatch.StartNew();
    var rows = await TlsComparison.RunAsync(total, reps, warmup, value, LoadAverage);
    Console.WriteLine($"--- done in {started.Elapsed.TotalSeconds:0} s, load average {LoadAverage()}; GB/s medians:");
    Console.WriteLine("| clients | write plain | write TLS | TLS/plain | read plain | read TLS | TLS/plain |");
    Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
    foreach (var row in rows) Console.WriteLine(row);
    return;
}

if (args.Contains("--large"))
{
    long large = (long)Option("--large-mib", 4096) << 20;
    string largeMemory = Path.Combine("/dev/shm", $"ofs-bench-large-{Environment.ProcessId}");
    Console.WriteLine($"Data benchmark --large {DateTime.UtcNow:u}: a {large >> 20} MiB file, remote path, load average {LoadAverage()}");
    var started = Stopwatch.StartNew();
    try
    {
        await using var largeSilo = await SiloProcess.StartAsync([$"--Worker:MemoryDirectory={largeMemory}", $"--Worker:MemoryBytes={large + (1L << 30)}"]);
        var rows = await LargeFileBenchmark.RunAsync(largeSilo.Gateway, largeSilo.ProcessId, large, value);
        Console.WriteLine($"--- done in {started.Elapsed.TotalSeconds:0} s, load average {LoadAverage()}:");
        Console.WriteLine("| transfer | clients | MiB | GB/s | s | client idle MiB | client peak above idle MiB | silo idle MiB | silo peak above idle MiB |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var row in rows) Console.WriteLine(row);
    }
    finally
    {
        if (Directory.Exists(largeMemory)) Directory.Delete(largeMemory, recursive: true);
    }
    return;
}

if (args.Contains("--read-profile"))
{
    string profileMemory = Path.Combine("/dev/shm", $"ofs-bench-profile-{Environment.ProcessId}");
    Console.WriteLine($"Data benchmark --read-profile {DateTime.UtcNow:u}: {mib} MiB per read, load average {LoadAverage()}");
    try
    {
        await using var profileSilo = await SiloProcess.StartAsync([$"--Worker:MemoryDirectory={profileMemory}", $"--Worker:MemoryBytes={6L << 30}",
            $"--Worker:DataSendFile={args.Contains("--sendfile")}"]);
        Console.WriteLine($"silo pid {profileSilo.ProcessId}, bench pid {Environment.ProcessId}");
        await RemoteReadProfile.RunAsync(profileSilo.Gateway, profileSilo.ProcessId, total, reps, value);
    }
    finally
    {
        if (Directory.Exists(profileMemory)) Directory.Delete(profileMemory, recursive: true);
    }
    Console.WriteLine($"--- load average {LoadAverage()}");
    return;
}

string memoryRoot = Text("--memory-root", "/dev/shm");
if (!Directory.Exists(memoryRoot)) throw new ArgumentException($"--memory-root {memoryRoot}: no such directory");
Console.WriteLine($"Data benchmark {DateTime.UtcNow:u}: {mib} MiB per measurement, median of {reps}, memory tier and tmpfs peer under {memoryRoot}, load average {LoadAverage()}");
string memory = Path.Combine(memoryRoot, $"ofs-bench-{Environment.ProcessId}");
string peerDirectory = Path.Combine(memoryRoot, $"ofs-bench-peer-{Environment.ProcessId}");
Directory.CreateDirectory(peerDirectory);
var clock = Stopwatch.StartNew();
await using var silo = await SiloProcess.StartAsync([$"--Worker:MemoryDirectory={memory}", $"--Worker:MemoryBytes={6L << 30}"]);
using var redis = new RedisServer();
Console.WriteLine($"silo pid {silo.ProcessId} (gateway {silo.Gateway}), redis-server pid {redis.ProcessId} (port {redis.Port})");
var table = new List<string>();
try
{
    foreach (int clients in new[] { 1, 4 })
    {
        var connections = new OrleansFsConnection[clients];
        for (int i = 0; i < clients; i++)
            connections[i] = await OrleansFsClient.ConnectAsync(new OrleansFsClientOptions { Gateways = [silo.Gateway] });
        var runs = new Dictionary<string, List<Measurement>>();
        // The silo starts fresh: the first round with one client is JIT and warm-up, run but not counted (--warmup).
        for (int rep = clients == 1 ? 1 - warmup : 1; rep <= reps; rep++)
        {
            foreach (bool shortCircuit in new[] { false, true })
            {
                string tag = $"c{clients}-{(shortCircuit ? "local" : "remote")}";
                Record(await OfsBenchmarks.WriteAsync(connections, total, clients, value, tag, shortCircuit));
                Record(await OfsBenchmarks.ReadAsync(connections, total, clients, value.Length, tag, shortCircuit));
                await connections[0].FileSystem.DeleteAsync($"/bench/{tag}", recursive: true);
            }
            var (set, get) = await RedisBenchmark.RunAsync(redis.Port, total, clients, value.Length);
            Record(set);
            Record(get);
            (set, get) = await PeerBenchmarks.RedisAsync(redis.Port, total, clients, value);
            Record(set);
            Record(get);
            Record(await PeerBenchmarks.TmpfsReadAsync(peerDirectory, total, clients, value));

            void Record(Measurement m)
            {
                if (rep >= 1) (runs.TryGetValue(m.Name, out var list) ? list : runs[m.Name] = new List<Measurement>()).Add(m);
                Console.WriteLine($"[clients {clients}, {(rep >= 1 ? $"run {rep}/{reps}" : "warm-up, not counted")}, {clock.Elapsed.TotalSeconds:0}s] {m}");
            }
        }
        foreach (var c in connections) await c.DisposeAsync();

        double Median(string name) => Measurement.Median(runs[name]).GBps;
        Console.WriteLine($"--- medians, {clients} client(s)");
        foreach (var name in runs.Keys) Console.WriteLine($"  {name,-28} {Median(name),6:0.000} GB/s");
        double remoteWrite = Median("OrleansFs write remote") / Median(RedisBenchmark.SetName);
        double remoteRead = Median("OrleansFs read remote") / Median(RedisBenchmark.GetName);
        double clientWrite = Median("OrleansFs write remote") / Median(PeerBenchmarks.SetName);
        double clientRead = Median("OrleansFs read remote") / Median(PeerBenchmarks.GetName);
        double localRead = Median("OrleansFs read same-host") / Median("tmpfs file read");
        Console.WriteLine($"  ({RedisBenchmark.CommandLine(redis.Port, (int)(total >> 20), clients, value.Length)})");
        Console.WriteLine($"  ratio remote write / redis-benchmark SET      = {remoteWrite:0.00}  (goal >= 1)");
        Console.WriteLine($"  ratio remote read  / redis-benchmark GET      = {remoteRead:0.00}  (goal >= 1)");
        Console.WriteLine($"  ratio remote write / StackExchange.Redis SET  = {clientWrite:0.00}");
        Console.WriteLine($"  ratio remote read  / StackExchange.Redis GET  = {clientRead:0.00}");
        Console.WriteLine($"  ratio same-host read / tmpfs read             = {localRead:0.00}  (goal >= 0.90)");
        table.Add($"| {clients} | {Median("OrleansFs write remote"):0.000} | {Median(RedisBenchmark.SetName):0.000} | {remoteWrite:0.00} | " +
                  $"{Median("OrleansFs read remote"):0.000} | {Median(RedisBenchmark.GetName):0.000} | {remoteRead:0.00} | " +
                  $"{Median(PeerBenchmarks.SetName):0.000} | {Median(PeerBenchmarks.GetName):0.000} | " +
                  $"{Median("OrleansFs write same-host"):0.000} | {Median("OrleansFs read same-host"):0.000} | {Median("tmpfs file read"):0.000} | {localRead:0.00} |");
    }
}
finally
{
    if (Directory.Exists(memory)) Directory.Delete(memory, recursive: true);
    Directory.Delete(peerDirectory, recursive: true);
}
Console.WriteLine($"--- done in {clock.Elapsed.TotalSeconds:0} s, load average {LoadAverage()}; GB/s medians:");
Console.WriteLine("| clients | write remote | redis-benchmark SET | write/SET | read remote | redis-benchmark GET | read/GET | SE.Redis SET | SE.Redis GET | write same-host | read same-host | tmpfs read | same-host/tmpfs |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var row in table) Console.WriteLine(row);

string Text(string name, string fallback)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}

int Option(string name, int fallback)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1]) : fallback;
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
