using System.Diagnostics;
using OrleansFs.Client;
using OrleansFs.Client.Streams;
using OrleansFs.Files;

namespace OrleansFs.Bench;

/// <summary>
/// <c>--large</c>: one file of <c>--large-mib</c> (default 4 GiB) on the remote path, written by 1 client and, as
/// four files of a quarter each, by 4 clients; read whole by 1 client and in quarters by 4. For each, the GB/s and
/// the peak resident memory of the client (this process) and the silo above what each held idle before it (Linux's
/// VmHWM, reset before each measurement through /proc/PID/clear_refs), with a goal of at most 256 MiB.
/// </summary>
internal static class LargeFileBenchmark
{
    public static async Task<List<string>> RunAsync(string gateway, int siloPid, long fileBytes, byte[] buffer)
    {
        var rows = new List<string>();
        var connections = new OrleansFsConnection[4];
        for (int i = 0; i < connections.Length; i++)
            connections[i] = await OrleansFsClient.ConnectAsync(new OrleansFsClientOptions { Gateways = [gateway] });
        try
        {
            var fs = connections[0].FileSystem;
            rows.Add(await MeasureAsync("write", 1, siloPid, fileBytes, () => WriteAsync(connections[0], "/large/one", fileBytes, buffer)));
            rows.Add(await MeasureAsync("read", 1, siloPid, fileBytes, () => ReadAsync(connections[0], "/large/one", 0, fileBytes, buffer.Length)));
            long quarter = fileBytes / 4;
            rows.Add(await MeasureAsync("read", 4, siloPid, fileBytes, () => Task.WhenAll(Enumerable.Range(0, 4).Select(c =>
                ReadAsync(connections[c], "/large/one", c * quarter, quarter, buffer.Length)))));
            await fs.DeleteAsync("/large/one");
            rows.Add(await MeasureAsync("write", 4, siloPid, fileBytes, () => Task.WhenAll(Enumerable.Range(0, 4).Select(c =>
                WriteAsync(connections[c], $"/large/part-{c}", quarter, buffer)))));
            await fs.DeleteAsync("/large", recursive: true);
        }
        finally
        {
            foreach (var c in connections) await c.DisposeAsync();
        }
        return rows;
    }

    private static async Task<string> MeasureAsync(string what, int clients, int siloPid, long bytes, Func<Task> run)
    {
        GC.Collect();
        long clientIdle = Resident(Environment.ProcessId, "VmRSS"), siloIdle = Resident(siloPid, "VmRSS");
        ResetPeak(Environment.ProcessId);
        ResetPeak(siloPid);
        var clock = Stopwatch.StartNew();
        await run();
        double seconds = clock.Elapsed.TotalSeconds;
        long clientPeak = Resident(Environment.ProcessId, "VmHWM") - clientIdle, siloPeak = Resident(siloPid, "VmHWM") - siloIdle;
        var m = new Measurement($"OrleansFs {what} remote, large", clients, bytes, clock.Elapsed);
        Console.WriteLine($"  {m}  peak RSS above idle: client {clientPeak >> 20} MiB, silo {siloPeak >> 20} MiB");
        return $"| {what} | {clients} | {bytes >> 20} | {m.GBps:0.000} | {seconds:0.0} | {clientIdle >> 20} | {clientPeak >> 20} | {siloIdle >> 20} | {siloPeak >> 20} |";
    }

    private static async Task WriteAsync(OrleansFsConnection connection, string path, long bytes, byte[] buffer)
    {
        await using var stream = await connection.Data.CreateFileAsync(path,
            new CreateFileOptions { WriteType = WriteType.MustCache, Overwrite = true, Recursive = true }, shortCircuit: false);
        for (long done = 0; done < bytes; done += buffer.Length) await stream.WriteAsync(buffer);
    }

    private static async Task ReadAsync(OrleansFsConnection connection, string path, long offset, long bytes, int bufferBytes)
    {
        var buffer = new byte[bufferBytes];
        await using var stream = await connection.Data.OpenFileAsync(path, new OpenFileOptions { ShortCircuit = false });
        stream.Seek(offset, SeekOrigin.Begin);
        long total = 0;
        int n;
        while (total < bytes && (n = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, bytes - total)))) > 0) total += n;
        if (total != bytes) throw new InvalidOperationException($"read {total} bytes of {path} at {offset}, expected {bytes}");
    }

    /// <summary>A /proc/PID/status memory line (VmRSS, VmHWM) in bytes.</summary>
    private static long Resident(int pid, string field)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0]) * 1024;
        return 0;
    }

    /// <summary>Starts the process's peak resident size (VmHWM) again from its current size.</summary>
    private static void ResetPeak(int pid)
    {
        try { File.WriteAllText($"/proc/{pid}/clear_refs", "5"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { Console.WriteLine($"  (cannot reset the peak RSS of {pid}: {e.Message})"); }
    }
}
