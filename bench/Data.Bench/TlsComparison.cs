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
    public static async Task<List<string>> RunAsync(long totalBytes, int reps, byte[] value, Func<string> loadAverage)
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
                table.Add(await CompareAsync(plain, secure, tls, clients, totalBytes, reps, value, loadAverage));
        }
        finally
        {
            foreach (var memory in new[] { plainMemory, tlsMemory })
                if (Directory.Exists(memory)) Directory.Delete(memory, recursive: true);
        }
        return table;
    }

    private static async Task<string> CompareAsync(SiloProcess plain, SiloProcess secure, ClientTlsOptions tls, int clients, long totalBytes, int reps,
        byte[] value, Func<string> loadAverage)
    {
        var plainConnections = await ConnectAsync(clients, new OrleansFsClientOptions { Gateways = [plain.Gateway] });
        var tlsConnections = await ConnectAsync(clients, new OrleansFsClientOptions { Gateways = [secure.Gateway], Tls = tls });
        var runs = new Dictionary<string, List<Measurement>>();
        try
        {
            for (int rep = 1; rep <= reps; rep++)
            {
                foreach (var (mode, connections) in new[] { ("plain", plainConnections), ("TLS", tlsConnections) })
                {
                    string tag = $"c{clients}-{mode}";
                    Record(mode, await OfsBenchmarks.WriteAsync(connections, totalBytes, clients, value, tag, shortCircuit: false), rep);
                    Record(mode, await OfsBenchmarks.ReadAsync(connections, totalBytes, clients, value.Length, tag, shortCircuit: false), rep);
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

        void Record(string mode, Measurement m, int rep)
        {
            var named = m with { Name = $"{mode} {m.Name}" };
            (runs.TryGetValue(named.Name, out var list) ? list : runs[named.Name] = []).Add(named);
            Console.WriteLine($"[clients {clients}, run {rep}/{reps}] {named}");
        }
    }

    private static async Task<OrleansFsConnection[]> ConnectAsync(int clients, OrleansFsClientOptions options)
    {
        var connections = new OrleansFsConnection[clients];
        for (int i = 0; i < clients; i++) connections[i] = await OrleansFsClient.ConnectAsync(options);
        return connections;
    }
}
