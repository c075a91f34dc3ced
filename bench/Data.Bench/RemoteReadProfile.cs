using OrleansFs.Client;

namespace OrleansFs.Bench;

/// <summary>
/// <c>--read-profile</c>: only the remote read, for A/B work on the read path. One file per client is written once,
/// then read <c>--reps</c> times with 1 and 4 clients; each line gives GB/s and the CPU seconds per GiB of this
/// process and of the silo (utime + stime from /proc/PID/stat), which the machine's load disturbs far less.
/// </summary>
internal static class RemoteReadProfile
{
    public static async Task RunAsync(string gateway, int siloPid, long totalBytes, int reps, byte[] value)
    {
        foreach (int clients in new[] { 1, 4 })
        {
            var connections = new OrleansFsConnection[clients];
            for (int i = 0; i < clients; i++)
                connections[i] = await OrleansFsClient.ConnectAsync(new OrleansFsClientOptions { Gateways = [gateway] });
            string tag = $"profile-c{clients}";
            await OfsBenchmarks.WriteAsync(connections, totalBytes, clients, value, tag, shortCircuit: false);
            for (int rep = 0; rep <= reps; rep++)
            {
                double client = CpuSeconds(Environment.ProcessId), silo = CpuSeconds(siloPid);
                var m = await OfsBenchmarks.ReadAsync(connections, totalBytes, clients, value.Length, tag, shortCircuit: false);
                double gib = totalBytes / (double)(1L << 30);
                Console.WriteLine($"{(rep == 0 ? "warm-up " : $"run {rep}   ")} {m}  cpu/GiB client {(CpuSeconds(Environment.ProcessId) - client) / gib:0.000} s  silo {(CpuSeconds(siloPid) - silo) / gib:0.000} s");
            }
            await connections[0].FileSystem.DeleteAsync($"/bench/{tag}", recursive: true);
            foreach (var c in connections) await c.DisposeAsync();
        }
    }

    /// <summary>utime + stime of a process, in seconds.</summary>
    public static double CpuSeconds(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0; // fields 14 and 15, in clock ticks of 1/100 s
    }
}
