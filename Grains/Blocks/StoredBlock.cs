using OrleansFs.Blocks;

namespace OrleansFs.Grains.Blocks;

/// <summary>A committed block in a worker's store.</summary>
internal sealed class StoredBlock
{
    public StoredBlock(BlockTier tier, BlockSidecar sidecar)
    {
        Tier = tier;
        Sidecar = sidecar;
        LruNode = new LinkedListNode<StoredBlock>(this);
    }

    public BlockTier Tier { get; set; }
    /// <summary>
    /// The stamp of the block file when its bytes were last checked against the sidecar (sealed by this worker, or
    /// scrubbed); null when they must be checked on read. Only memory-tier blocks are trusted this way.
    /// </summary>
    public BlockFileStamp? Verified { get; set; }
    public BlockSidecar Sidecar { get; }
    public LinkedListNode<StoredBlock> LruNode { get; }
    public long BlockId => Sidecar.BlockId;
    public long Length => Sidecar.Length;
    /// <summary>Only blocks that are safe elsewhere and not pinned may be dropped.</summary>
    public bool Evictable => Sidecar.Persisted && !Sidecar.Pinned;
}
