using System.Diagnostics;

namespace OrleansFs.TestSupport;

/// <summary>Waits for a started child process whose output is redirected, as a test runs a user's command.</summary>
public static class ChildProcess
{
    /// <summary>
    /// Reads both outputs while <paramref name="process"/> runs, and returns its exit code and output. A process still
    /// running after <paramref name="timeout"/> is killed with its children and reported as <paramref name="command"/>.
    /// </summary>
    public static async Task<OfsResult> RunToEndAsync(Process process, TimeSpan timeout, string command)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} did not finish within {timeout}");
        }
        return new OfsResult(process.ExitCode, await stdout, await stderr);
    }
}
