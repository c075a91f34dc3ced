using OrleansFs.Blocks;

namespace OrleansFs.Grains.Lineage;

/// <summary>No lineage recorded yet: nothing can be recomputed.</summary>
public sealed class NoLineageRecomputer : ILineageRecomputer
{
    public Task<bool> TryRecomputeAsync(BlockRef block, CancellationToken cancellationToken = default) => Task.FromResult(false);
}
