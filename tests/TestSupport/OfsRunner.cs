using System.Diagnostics;

namespace OrleansFs.TestSupport;

/// <summary>Runs the built `ofs` tool as a user would: a child process with arguments, exit code and output.</summary>
public sealed class OfsRunner(string gateway)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(240);

    public string Gateway { get; } = gateway;

    /// <summary>Runs `ofs --gateway GATEWAY ARGS...`.</summary>
    public Task<OfsResult> RunAsync(params string[] args) => RunRawAsync(["--gateway", Gateway, .. args]);

    /// <summary>Runs `ofs ARGS...` with nothing added.</summary>
    public static async Task<OfsResult> RunRawAsync(IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        using var process = Start(args, environment);
        return await ChildProcess.RunToEndAsync(process, Timeout, $"ofs {string.Join(' ', args)}");
    }

    /// <summary>
    /// Starts `ofs ARGS...` with its output redirected and none of the caller's OFS_* settings, for a test that
    /// watches it run (reads its first lines, signals it) instead of waiting for the end.
    /// </summary>
    public static Process Start(IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(OfsBuildOutputs.OfsDll);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        foreach (string variable in (string[])["OFS_GATEWAY", "OFS_ZOOKEEPER", "OFS_POSTGRES", "OFS_TLS_CA", "OFS_TLS_CERT", "OFS_TLS_KEY"])
            start.Environment.Remove(variable);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        return Process.Start(start)!;
    }
}
