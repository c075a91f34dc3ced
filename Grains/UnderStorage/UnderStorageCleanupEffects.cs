using Microsoft.Extensions.Logging;
using OrleansFs.Blocks;
using OrleansFs.Errors;
using OrleansFs.Grains.Master.Cleanup;
using OrleansFs.Paths;

namespace OrleansFs.Grains.UnderStorage;

/// <summary>
/// Carries deletes and renames over to the under-storage and drops deleted files' blocks from worker memory.
/// Every step is idempotent: deleting what is gone, or moving a source that is gone, does nothing.
/// Without an under-storage the silo has no data layer (a master-only deployment, as in the master's own
/// tests): there is nothing to clean, and the tasks are only journaled done.
/// </summary>
public sealed partial class UnderStorageCleanupEffects(IUnderStorage? underStorage, IGrainFactory grains, ILogger logger) : ICleanupEffects
{
    // Block deletions in flight at once: each may place (probe every worker) and activate a block grain.
    private const int Parallelism = 32;

    public async Task RunAsync(CleanupTask task, CancellationToken cancellationToken)
    {
        if (underStorage is null) return;
        if (task.BlockIds.Length > 0) await DropBlocksAsync(task.BlockIds, cancellationToken);
        if (task.Path is null) return;
        var path = FsPath.Parse(task.Path);
        switch (task.Kind)
        {
            case CleanupKind.Delete:
                // The under-storage does its disk I/O off the master's turn.
                if (await underStorage.DeleteAsync(path, cancellationToken))
                    LogDeleted(logger, path.Value);
                break;
            case CleanupKind.Rename:
                var destination = FsPath.Parse(task.Destination!);
                if (await MoveAsync(path, destination, cancellationToken))
                    LogMoved(logger, path.Value, destination.Value);
                break;
        }
    }

    private async Task<bool> MoveAsync(FsPath source, FsPath destination, CancellationToken cancellationToken)
    {
        // Gone already: never persisted, or moved by a master that died before journaling it done.
        if (await underStorage!.GetEntryAsync(source, cancellationToken) is null) return false;
        if (await underStorage.GetEntryAsync(destination, cancellationToken) is not null)
            throw new FsException(FsErrorCode.AlreadyExists, destination.Value,
                $"the under-storage already has {destination.Value}; {source.Value} stays where it is there");
        return await underStorage.RenameAsync(source, destination, cancellationToken);
    }

    private async Task DropBlocksAsync(IReadOnlyList<long> blockIds, CancellationToken cancellationToken)
    {
        foreach (var batch in blockIds.Chunk(Parallelism))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.WhenAll(batch.Select(id => grains.GetGrain<IBlockGrain>(id).Delete()));
        }
        LogDroppedBlocks(logger, blockIds.Count);
    }

    [LoggerMessage(EventId = 1310, Level = LogLevel.Information, Message = "Deleted {Path} from the under-storage")]
    private static partial void LogDeleted(ILogger logger, string path);

    [LoggerMessage(EventId = 1311, Level = LogLevel.Information, Message = "Moved {Source} to {Destination} in the under-storage")]
    private static partial void LogMoved(ILogger logger, string source, string destination);

    [LoggerMessage(EventId = 1312, Level = LogLevel.Debug, Message = "Dropped {Count} blocks of deleted files")]
    private static partial void LogDroppedBlocks(ILogger logger, int count);
}
