using System.Diagnostics;

namespace OrleansFs.Tests.Network;

/// <summary>Runs `ip` and `nft` as the harness needs them: synchronously, failing with the command's own error.</summary>
internal static class NetCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/> (and <paramref name="input"/> on stdin); throws on a non-zero exit.</summary>
    public static string Run(string file, IEnumerable<string> args, string? input = null)
    {
        var (exitCode, stdout, stderr) = TryRun(file, args, input);
        if (exitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed with exit code {exitCode}: {stderr.Trim()}{Describe(input)}");
        return stdout;
    }

    public static (int ExitCode, string Stdout, string Stderr) TryRun(string file, IEnumerable<string> args, string? input = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill();
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {Timeout}");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>`ip ARGS...`</summary>
    public static string Ip(params string[] args) => Run("ip", args);

    /// <summary>An nftables script loaded inside <paramref name="netns"/> (`ip netns exec NS nft -f -`).</summary>
    public static void Nft(string netns, string script) => Run("ip", ["netns", "exec", netns, "nft", "-f", "-"], script);

    private static string Describe(string? input) => input is null ? "" : $"\ninput:\n{input}";
}
