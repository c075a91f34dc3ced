using Microsoft.Extensions.Logging;
using OrleansFs.Blocks;
using OrleansFs.Files;
using OrleansFs.Grains.Master.Inodes;
using OrleansFs.Grains.Master.State;

namespace OrleansFs.Grains.Master.Persistence;

/// <summary>
/// Hands every ASYNC_THROUGH file still waiting for persistence (ToBePersisted) to its PersistGrain again: at
/// takeover, since the master or the worker persisting it may have died, and every
/// Master:PersistRecheckPeriod for persists that failed for good. Scheduling twice is harmless: the
/// PersistGrain persists one file at a time and finds it persisted the second time. A file whose blocks
/// are gone from memory becomes LOST there. The scan reads an immutable snapshot off the master's turn.
/// </summary>
public sealed partial class PersistRescheduler(Func<MasterState> state, IGrainFactory grains, ILogger logger)
{
    private const int Batch = 64;
    private readonly BackgroundPass _pass = new();

    /// <summary>Starts a pass unless one is running.</summary>
    public void Kick() => _pass.Kick(RunAsync);

    public Task StopAsync() => _pass.StopAsync();

    private async Task RunAsync()
    {
        try
        {
            var snapshot = state();
            var waiting = await Task.Run(() => Find(snapshot));
            if (waiting.Count == 0) return;
            LogRescheduling(logger, waiting.Count);
            foreach (var batch in waiting.Chunk(Batch))
                await Task.WhenAll(batch.Select(f => grains.GetGrain<IPersistGrain>(f.InodeId).Schedule(f.Path)));
        }
        catch (Exception error)
        {
            LogReschedulingFailed(logger, error);
        }
    }

    /// <summary>Completed files in state ToBePersisted, with their paths (depth-first walk of the snapshot).</summary>
    public static List<(long InodeId, string Path)> Find(MasterState snapshot)
    {
        var found = new List<(long, string)>();
        var stack = new Stack<(Inode Inode, string Path)>();
        stack.Push((snapshot.Root, ""));
        while (stack.Count > 0)
        {
            var (inode, path) = stack.Pop();
            if (!inode.IsDirectory)
            {
                if (inode is { Completed: true, PersistenceState: PersistenceState.ToBePersisted }) found.Add((inode.Id, path));
                continue;
            }
            foreach (var (name, id) in inode.Children) stack.Push((snapshot.Inodes[id], path + "/" + name));
        }
        return found;
    }

    [LoggerMessage(EventId = 1410, Level = LogLevel.Information, Message = "Rescheduling persistence of {Count} file(s) left ToBePersisted")]
    private static partial void LogRescheduling(ILogger logger, int count);

    [LoggerMessage(EventId = 1411, Level = LogLevel.Warning, Message = "Rescheduling persistence failed; the next pass tries again")]
    private static partial void LogReschedulingFailed(ILogger logger, Exception exception);
}
