using OrleansFs.Blocks;

namespace OrleansFs.Grains.Lineage;

/// <summary>
/// The seam through which a BlockGrain that lost its unpersisted bytes asks lineage to rebuild them (by
/// re-running the job that wrote the file) before the file is declared LOST.
/// </summary>
public interface ILineageRecomputer
{
    /// <summary>True when the block's bytes were rebuilt into this worker's store.</summary>
    Task<bool> TryRecomputeAsync(BlockRef block, CancellationToken cancellationToken = default);
}
