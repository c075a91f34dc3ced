using Microsoft.Extensions.Logging;
using OrleansFs.Blocks;
using OrleansFs.Errors;
using OrleansFs.Grains.Blocks;
using OrleansFs.Lineage;

namespace OrleansFs.Grains.Lineage.Recompute;

/// <summary>
/// A block grain's way to lineage: finds the lineage whose output the block's file is, and has its
/// <see cref="ILineageGrain"/> rebuild it (the grain writes the bytes back through <see cref="RebuildAsync"/>).
/// </summary>
public sealed partial class LineageRecomputer(IGrainFactory grains, BlockStore store, MasterCalls master, ILogger<LineageRecomputer> logger)
    : ILineageRecomputer
{
    /// <summary>A reader is waiting: the lookups ride out a short master failover, then give up (the reader retries).</summary>
    private static readonly TimeSpan LookupPatience = TimeSpan.FromSeconds(20);

    public async Task<bool> TryRecomputeAsync(BlockRef block, CancellationToken cancellationToken = default)
    {
        var status = await FileOf(block, cancellationToken);
        // No lineage, or the path now names another file than the block's.
        if (status is null || status.InodeId != block.BlockId >> 24) return false;
        long? id = status.LineageId ?? (await master.CallAsync(m => m.GetLineageOfFile(block.Path), cancellationToken, LookupPatience))?.Id;
        if (id is not { } lineage) return false;
        // A run that ended while this read looked things up may have written the block back already.
        if (store.Contains(block.BlockId)) return true;
        LogAsking(logger, block.BlockId, block.Path, lineage);
        await grains.GetGrain<ILineageGrain>(lineage).Recompute(block);
        return store.Contains(block.BlockId);
    }

    public Task<bool> RebuildAsync(BlockRef block, BlockRef[] scratch) =>
        BlockRebuilder.RebuildAsync(store, grains, block, scratch);

    private async Task<Files.FileStatus?> FileOf(BlockRef block, CancellationToken cancellationToken)
    {
        try
        {
            return await master.CallAsync(m => m.GetStatus(block.Path), cancellationToken, LookupPatience);
        }
        catch (FsException e) when (e.Code == FsErrorCode.NotFound)
        {
            return null;
        }
    }

    [LoggerMessage(EventId = 2236, Level = LogLevel.Information, Message = "Block {BlockId} of {Path} is lost; asking lineage {LineageId} to rebuild it")]
    private static partial void LogAsking(ILogger logger, long blockId, string path, long lineageId);
}
