using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OrleansFs.Lineage;

namespace OrleansFs.Grains.Lineage.Jobs;

/// <summary>
/// Starts a command-line job directly (never through a shell: arguments reach the program as they are), keeps the
/// last 64 KiB of its stdout and stderr, and kills it with every process it started when its deadline passes or the
/// run is abandoned. Its stdin is closed at once, so a program that reads it sees end-of-file instead of hanging.
/// </summary>
public sealed partial class CommandLineJobRunner(ILogger<CommandLineJobRunner> logger)
{
    /// <summary>How long the output pipes may stay open after the program exited (a child that kept them).</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    public async Task<JobOutcome> RunAsync(CommandLineJobStart job, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var process = new Process { StartInfo = StartInfo(job) };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException or IOException)
        {
            return new JobOutcome { Error = $"cannot start {job.Executable}: {e.Message}" };
        }
        LogStarted(logger, job.Executable, process.Id);
        process.StandardInput.Close();
        var stdout = new TailBuffer(LineageRun.MaxTailBytes);
        var stderr = new TailBuffer(LineageRun.MaxTailBytes);
        var pumps = Task.WhenAll(PumpAsync(process.StandardOutput.BaseStream, stdout), PumpAsync(process.StandardError.BaseStream, stderr));
        bool timedOut = false;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            deadline.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                KillTree(process);
                timedOut = !cancellationToken.IsCancellationRequested;
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }
        await Drain(process, pumps);
        LogEnded(logger, job.Executable, process.Id, process.ExitCode, timedOut);
        cancellationToken.ThrowIfCancellationRequested();
        return new JobOutcome
        {
            ExitCode = timedOut ? null : process.ExitCode,
            TimedOut = timedOut,
            StdoutTail = stdout.ToString(),
            StderrTail = stderr.ToString(),
        };
    }

    private static ProcessStartInfo StartInfo(CommandLineJobStart job)
    {
        var start = new ProcessStartInfo(job.Executable)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = job.WorkingDirectory ?? "",
        };
        foreach (string argument in job.Arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in job.Environment)
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
        return start;
    }

    private static async Task PumpAsync(Stream source, TailBuffer tail)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer)) > 0) tail.Append(buffer.AsSpan(0, read));
        }
        catch (IOException) { } // the pipe broke as the process was killed: keep what arrived
        catch (ObjectDisposedException) { }
    }

    /// <summary>The program exited; a child it left behind may still hold the pipes, so stop it too and read on briefly.</summary>
    private async Task Drain(Process process, Task pumps)
    {
        if (await Task.WhenAny(pumps, Task.Delay(DrainTimeout)) == pumps) return;
        KillTree(process);
        LogPipesHeld(logger, process.Id);
    }

    private void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            LogKillFailed(logger, e, process.Id);
        }
    }

    [LoggerMessage(EventId = 2230, Level = LogLevel.Information, Message = "Lineage job {Executable} started as process {ProcessId}")]
    private static partial void LogStarted(ILogger logger, string executable, int processId);

    [LoggerMessage(EventId = 2231, Level = LogLevel.Information, Message = "Lineage job {Executable} (process {ProcessId}) ended with exit code {ExitCode}, timed out: {TimedOut}")]
    private static partial void LogEnded(ILogger logger, string executable, int processId, int exitCode, bool timedOut);

    [LoggerMessage(EventId = 2232, Level = LogLevel.Warning, Message = "Lineage job process {ProcessId} exited but something it started kept its output open; stopped")]
    private static partial void LogPipesHeld(ILogger logger, int processId);

    [LoggerMessage(EventId = 2233, Level = LogLevel.Warning, Message = "Could not kill lineage job process {ProcessId} and its children")]
    private static partial void LogKillFailed(ILogger logger, Exception exception, int processId);
}
