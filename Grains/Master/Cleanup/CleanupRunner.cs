using Microsoft.Extensions.Logging;
using OrleansFs.Errors;
using OrleansFs.Paths;

namespace OrleansFs.Grains.Master.Cleanup;

/// <summary>
/// Runs the master's pending <see cref="CleanupTask"/>s, oldest first, after their entries were acknowledged,
/// and journals each batch as done. It lives in the master grain's turns (awaits resume there), so it reads
/// the state between its awaits like any other call; the effects themselves do their I/O off that thread.
/// A task that fails for a transient reason stops the pass (later tasks may depend on it, e.g. delete a
/// then rename b to a) and is retried at the next <see cref="Kick"/>.
/// </summary>
public sealed partial class CleanupRunner(MasterService master, ICleanupEffects effects, TimeProvider time, ILogger logger)
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;
    private bool _again;
    private TaskCompletionSource _progress = NewSignal();

    /// <summary>Starts a pass unless one is running (then it runs once more after it).</summary>
    public void Kick()
    {
        if (master.State.Cleanups.IsEmpty || _stopping.IsCancellationRequested) return;
        if (!_running.IsCompleted)
        {
            _again = true;
            return;
        }
        _running = RunAsync();
    }

    /// <summary>
    /// Waits until no pending task touches <paramref name="path"/>, so a file created there now can never be
    /// removed or moved by the cleanup of an earlier delete or rename of the same path.
    /// </summary>
    public async Task WaitUntilClearAsync(string path, TimeSpan timeout)
    {
        if (master.State.Cleanups.IsEmpty || !FsPath.TryParse(path, out var parsed)) return;
        long deadline = time.GetTimestamp() + (long)(timeout.TotalSeconds * time.TimestampFrequency);
        while (master.State.Cleanups.Exists(task => task.Touches(parsed)))
        {
            Kick();
            var remaining = TimeSpan.FromSeconds((deadline - time.GetTimestamp()) / (double)time.TimestampFrequency);
            if (remaining <= TimeSpan.Zero)
                throw FsException.Unavailable($"{parsed}: the under-storage copy of an earlier delete or rename there is still being cleaned up; retry");
            try { await _progress.Task.WaitAsync(remaining, time); }
            catch (TimeoutException) { /* checked on the next loop */ }
        }
    }

    /// <summary>Stops starting work and waits for the running pass.</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync();
        try { await _running; } catch { /* logged where it failed */ }
        _stopping.Dispose();
    }

    private async Task RunAsync()
    {
        do
        {
            _again = false;
            if (!await RunPassAsync()) return;
        } while (_again && !_stopping.IsCancellationRequested);
    }

    /// <summary>One pass over the tasks pending now; false when it stopped early.</summary>
    private async Task<bool> RunPassAsync()
    {
        var done = new List<Guid>();
        bool complete = true;
        foreach (var task in master.State.Cleanups)
        {
            if (_stopping.IsCancellationRequested) { complete = false; break; }
            try
            {
                await effects.RunAsync(task, _stopping.Token);
                LogDone(logger, task.Id, task.Describe());
            }
            catch (FsException error)
            {
                // Retrying cannot help (e.g. a symlink leading out of the root, or foreign data at the destination).
                LogDropped(logger, error, task.Id, task.Describe(), error.Message);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                LogFailed(logger, error, task.Id, task.Describe());
                complete = false;
                break;
            }
            catch (OperationCanceledException)
            {
                complete = false;
                break;
            }
            done.Add(task.Id);
        }
        if (done.Count == 0) return complete;
        try
        {
            await master.CompleteCleanups(done);
        }
        catch (FsException error)
        {
            // This master stopped; the next one runs the tasks again (they are idempotent).
            LogCouldNotJournal(logger, error, done.Count, error.Message);
            return false;
        }
        var progress = _progress;
        _progress = NewSignal();
        progress.TrySetResult();
        return complete;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(EventId = 1300, Level = LogLevel.Debug, Message = "Cleanup {TaskId} done: {Cleanup}")]
    private static partial void LogDone(ILogger logger, Guid taskId, string cleanup);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Cleanup {TaskId} ({Cleanup}) cannot be carried out and is dropped: {Reason}")]
    private static partial void LogDropped(ILogger logger, Exception exception, Guid taskId, string cleanup, string reason);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "Cleanup {TaskId} ({Cleanup}) failed; it and the tasks after it are retried later")]
    private static partial void LogFailed(ILogger logger, Exception exception, Guid taskId, string cleanup);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "Could not journal {Count} finished cleanup task(s): {Reason}")]
    private static partial void LogCouldNotJournal(ILogger logger, Exception exception, int count, string reason);
}
