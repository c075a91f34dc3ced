using OrleansFs.Client;
using OrleansFs.Client.Streams;
using OrleansFs.Files;

namespace OrleansFs.Bench;

/// <summary>
/// OrleansFs writes and reads: the remote path (short-circuit off, so block bytes go through the silo's data
/// endpoint) and the same-host path (block files on tmpfs written and read directly).
/// </summary>
internal static class OfsBenchmarks
{
    public static Task<Measurement> WriteAsync(OrleansFsConnection[] connections, long totalBytes, int clients, byte[] buffer, string tag, bool shortCircuit)
    {
        long perClient = totalBytes / clients;
        string name = shortCircuit ? "OrleansFs write same-host" : "OrleansFs write remote";
        return PeerBenchmarks.TimeAsync(name, clients, totalBytes, async c =>
        {
            await using var stream = await connections[c].Data.CreateFileAsync($"/bench/{tag}/{c}",
                new CreateFileOptions { WriteType = WriteType.MustCache, Overwrite = true }, shortCircuit: shortCircuit);
            for (long done = 0; done < perClient; done += buffer.Length) await stream.WriteAsync(buffer);
        });
    }

    public static Task<Measurement> ReadAsync(OrleansFsConnection[] connections, long totalBytes, int clients, int bufferBytes, string tag, bool shortCircuit)
    {
        string name = shortCircuit ? "OrleansFs read same-host" : "OrleansFs read remote";
        return PeerBenchmarks.TimeAsync(name, clients, totalBytes, async c =>
        {
            var buffer = new byte[bufferBytes];
            await using var stream = await connections[c].Data.OpenFileAsync($"/bench/{tag}/{c}", new OpenFileOptions { ShortCircuit = shortCircuit });
            long total = 0;
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0) total += n;
            if (total != totalBytes / clients) throw new InvalidOperationException($"read {total} bytes, expected {totalBytes / clients}");
        });
    }
}
