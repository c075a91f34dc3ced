using System.Diagnostics;
using OrleansFs.TestSupport;

namespace OrleansFs.Tests.Packaging;

/// <summary>
/// Runs `dotnet` and the programs it installs as a user's shell would, with this run's NuGet folders in the
/// environment and without leaving MSBuild nodes behind.
/// </summary>
public sealed class DotnetCli(IReadOnlyDictionary<string, string> environment)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    /// <summary>Runs `dotnet ARGS` in <paramref name="workingDirectory"/>; a non-zero exit fails with the output.</summary>
    public async Task<OfsResult> DotnetAsync(string workingDirectory, params string[] args)
    {
        var result = await RunAsync(workingDirectory, "dotnet", args);
        if (result.ExitCode != 0) throw new InvalidOperationException($"dotnet {string.Join(' ', args)} failed: {result}");
        return result;
    }

    /// <summary>Runs a program to its end and returns what it printed and its exit code.</summary>
    public async Task<OfsResult> RunAsync(string workingDirectory, string program, IEnumerable<string> args)
    {
        using var process = Start(workingDirectory, program, args);
        return await ChildProcess.RunToEndAsync(process, Timeout, $"{program} {string.Join(' ', args)}");
    }

    /// <summary>Starts a program with its output redirected; the caller reads it and stops the process.</summary>
    public Process Start(string workingDirectory, string program, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        return Process.Start(start)!;
    }
}
