using OrleansFs.Blocks;

namespace OrleansFs.Grains.Lineage;

/// <summary>
/// The seam through which a BlockGrain that lost its unpersisted bytes asks lineage to rebuild them (by
/// re-running the job that wrote the file) before the file is declared LOST.
/// </summary>
public interface ILineageRecomputer
{
    /// <summary>
    /// True when the block's bytes were rebuilt into this worker's store; false when the file has no lineage. Throws
    /// <see cref="OrleansFs.Errors.FsException"/> when it has one that could not rebuild it (FileLost, naming the
    /// lineage and the run) or is still rebuilding it (Unavailable: retry).
    /// </summary>
    Task<bool> TryRecomputeAsync(BlockRef block, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes <paramref name="block"/> into this worker's store from a recompute's copy of its file (<paramref name="scratch"/>:
    /// that copy's blocks); false when the block is already here.
    /// </summary>
    Task<bool> RebuildAsync(BlockRef block, BlockRef[] scratch);
}
