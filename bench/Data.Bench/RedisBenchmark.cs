using System.Diagnostics;
using System.Globalization;

namespace OrleansFs.Bench;

/// <summary>
/// Redis's own C benchmark (<c>redis-benchmark</c>, Debian's <c>redis-tools</c>) against the benchmark's redis-server:
/// 1 MiB SET and GET with 1 or several clients, the fastest Redis peer on this machine. Its requests per second are
/// turned into a <see cref="Measurement"/> of the same bytes, so its GB/s sit beside ours in one table.
/// </summary>
internal static class RedisBenchmark
{
    public const string Executable = "/usr/bin/redis-benchmark";
    public const string SetName = "redis-benchmark SET 1 MiB";
    public const string GetName = "redis-benchmark GET 1 MiB";

    /// <summary>The command line, as docs/benchmarks.md quotes it.</summary>
    public static string CommandLine(int port, int requests, int clients, int valueBytes) =>
        $"redis-benchmark -h 127.0.0.1 -p {port} -t set,get -d {valueBytes} -n {requests} -c {clients} --csv";

    public static async Task<(Measurement Set, Measurement Get)> RunAsync(int port, long totalBytes, int clients, int valueBytes)
    {
        int requests = (int)(totalBytes / valueBytes);
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in CommandLine(port, requests, clients, valueBytes).Split(' ').Skip(1)) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("redis-benchmark did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        string output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"redis-benchmark exited with {process.ExitCode}: {await stderr}");
        double set = RequestsPerSecond(output, "SET");
        double get = RequestsPerSecond(output, "GET");
        long bytes = (long)requests * valueBytes;
        return (new Measurement(SetName, clients, bytes, TimeSpan.FromSeconds(requests / set)),
                new Measurement(GetName, clients, bytes, TimeSpan.FromSeconds(requests / get)));
    }

    /// <summary>The rps column of a <c>--csv</c> line such as <c>"GET","2931.09",...</c>.</summary>
    private static double RequestsPerSecond(string csv, string test)
    {
        foreach (string line in csv.Split('\n'))
        {
            var fields = line.Trim().Split(',').Select(f => f.Trim('"')).ToArray();
            if (fields.Length >= 2 && fields[0] == test) return double.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        throw new InvalidOperationException($"redis-benchmark printed no {test} line: {csv}");
    }
}
