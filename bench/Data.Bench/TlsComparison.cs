using OrleansFs.Client;
using OrleansFs.Security;
using OrleansFs.TestSupport;
using OrleansFs.TestSupport.Tls;

namespace OrleansFs.Bench;

/// <summary>
/// <c>--tls</c>: the remote path (short-circuit off, every byte through a data endpoint) against two silos in the
/// same run, one plain and one with <c>Security:Enabled</c> (TLS with a test CA, client certificates required, access
/// tokens checked on both), measured in turns so load on the machine hits both alike; prints medians and the
/// TLS/plain ratio for remote write and read.
/// </summary>
internal static class TlsComparison
{
    public static async Task<List<string>> RunAsync(long totalBytes, int reps, int warmup, byte[] value, Func<string> loadAverage)
    {
        using var certificates = TestCertificates.Create();
        string plainMemory = Path.Combine("/dev/shm", $"ofs-bench-plain-{Environment.ProcessId}");
        string tlsMemory = Path.Combine("/dev/shm", $"ofs-bench-tls-{Environment.ProcessId}");
        var table = new List<string>();
        try
        {
            await using var plain = await SiloProcess.StartAsync([$"--Worker:MemoryDirectory={plainMemory}", $"--Worker:MemoryBytes={6L << 30}"]);
            await using var secure = await SiloProcess.StartAsync([
                $"--Worker:MemoryDirectory={tlsMemory}", $"--Worker:MemoryBytes={6L << 30}",
                "--Security:Enabled=true", $"--Security:CertificatePath={certificates.ServerCertificatePath}",
                $"--Security:KeyPath={certificates.ServerKeyPath}", $"--Security:CaPath={certificates.CaPath}",
                "--Security:RequireClientCertificate=true"]);
            Console.WriteLine($"plain silo pid {plain.ProcessId} (gateway {plain.Gateway}), TLS silo pid {secure.ProcessId} (gateway {secure.Gateway})");
            var tls = new ClientTlsOptions
            {
                CaPath = certificates.CaPath,
                CertificatePath = certificates.ClientCertificatePath,
                KeyPath = certificates.ClientKeyPath,
            };
            foreach (int clients in new[] { 1, 4 })
                table.Add(await CompareAsync(plain, secure, tls, clients, totalBytes, reps, clients == 1 ? warmup : 0, value, loadAverage));
            Console.WriteLine("--- CPU seconds per GiB (client process / silo process), medians:");
            foreach (var (name, cpu) in Cpu)
                Console.WriteLine($"  {name,-44} client {Median(cpu.Client),5:0.000}  silo {Median(cpu.Silo),5:0.000}");
        }
        finally
        {
            foreach (var memory in new[] { plainMemory, tlsMemory })
                if (Directory.Exists(memory)) Directory.Delete(memory, recursive: true);
        }
        return table;
    }

    private static async Task<string> CompareAsync(SiloProcess plain, SiloProcess secure, ClientTlsOptions tls, int clients, long totalBytes, int reps,
        int warmup, byte[] value, Func<string> loadAverage)
    {
        var plainConnections = await ConnectAsync(clients, new OrleansFsClientOptions { Gateways = [plain.Gateway] });
        var tlsConnections = await ConnectAsync(clients, new OrleansFsClientOptions { Gateways = [secure.Gateway], Tls = tls });
        var runs = new Dictionary<string, List<Measurement>>();
        try
        {
            // Both silos start fresh: the first rounds (--warmup, with one client) are JIT and warm-up, run but not counted.
            for (int rep = 1 - warmup; rep <= reps; rep++)
            {
                foreach (var (mode, connections, silo) in new[] { ("plain", plainConnections, plain), ("TLS", tlsConnections, secure) })
                {
                    string tag = $"c{clients}-{mode}";
                    var cpu = CpuSample.Take(silo.ProcessId);
                    Record(mode, await OfsBenchmarks.WriteAsync(connections, totalBytes, clients, value, tag, shortCircuit: false), rep, cpu.Since(totalBytes));
                    cpu = CpuSample.Take(silo.ProcessId);
                    Record(mode, await OfsBenchmarks.ReadAsync(connections, totalBytes, clients, value.Length, tag, shortCircuit: false), rep, cpu.Since(totalBytes));
                    await connections[0].FileSystem.DeleteAsync($"/bench/{tag}", recursive: true);
                }
            }
        }
        finally
        {
            foreach (var c in plainConnections.Concat(tlsConnections)) await c.DisposeAsync();
        }

        double Median(string name) => Measurement.Median(runs[name]).GBps;
        double write = Median("TLS OrleansFs write remote") / Median("plain OrleansFs write remote");
        double read = Median("TLS OrleansFs read remote") / Median("plain OrleansFs read remote");
        Console.WriteLine($"--- medians, {clients} client(s), load average {loadAverage()}");
        foreach (var name in runs.Keys) Console.WriteLine($"  {name,-34} {Median(name),6:0.000} GB/s");
        Console.WriteLine($"  ratio TLS/plain remote write = {write:0.00}  (goal >= 0.70)");
        Console.WriteLine($"  ratio TLS/plain remote read  = {read:0.00}  (goal >= 0.70)");
        return $"| {clients} | {Median("plain OrleansFs write remote"):0.000} | {Median("TLS OrleansFs write remote"):0.000} | {write:0.00} | " +
               $"{Median("plain OrleansFs read remote"):0.000} | {Median("TLS OrleansFs read remote"):0.000} | {read:0.00} |";

        void Record(string mode, Measurement m, int rep, (double Client, double Silo) cpuPerGiB)
        {
            if (rep < 1)
            {
                Console.WriteLine($"[clients {clients}, warm-up] {mode} {m}");
                return;
            }
            var named = m with { Name = $"{mode} {m.Name}" };
            (runs.TryGetValue(named.Name, out var list) ? list : runs[named.Name] = []).Add(named);
            string key = $"{clients} client(s) {named.Name}";
            var cpu = Cpu.TryGetValue(key, out var seen) ? seen : Cpu[key] = ([], []);
            cpu.Client.Add(cpuPerGiB.Client);
            cpu.Silo.Add(cpuPerGiB.Silo);
            Console.WriteLine($"[clients {clients}, run {rep}/{reps}] {named}  CPU s/GiB client {cpuPerGiB.Client:0.000} silo {cpuPerGiB.Silo:0.000}");
        }
    }

    /// <summary>CPU seconds per GiB moved, client and silo, for each measurement name (in the order first seen).</summary>
    private static readonly Dictionary<string, (List<double> Client, List<double> Silo)> Cpu = [];

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    /// <summary>The CPU used so far by this (the client) process and by a silo.</summary>
    private readonly record struct CpuSample(int SiloPid, double Client, double Silo)
    {
        public static CpuSample Take(int siloPid) => new(siloPid, ProcessCpu.Seconds(Environment.ProcessId), ProcessCpu.Seconds(siloPid));

        public (double Client, double Silo) Since(long bytes)
        {
            double gib = bytes / (double)(1L << 30);
            return ((ProcessCpu.Seconds(Environment.ProcessId) - Client) / gib, (ProcessCpu.Seconds(SiloPid) - Silo) / gib);
        }
    }

    private static async Task<OrleansFsConnection[]> ConnectAsync(int clients, OrleansFsClientOptions options)
    {
        var connections = new OrleansFsConnection[clients];
        for (int i = 0; i < clients; i++) connections[i] = await OrleansFsClient.ConnectAsync(options);
        return connections;
    }
}
