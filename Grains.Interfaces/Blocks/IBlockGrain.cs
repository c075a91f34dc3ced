using OrleansFs.Files;

namespace OrleansFs.Blocks;

/// <summary>
/// Owns one block (key: block id = inode id &lt;&lt; 24 | index): where it lives, its length and checksum,
/// whether it is persisted. Bytes move in chunks of at most <see cref="BlockSidecar.ChunkBytes"/>, never a
/// whole block in one message.
/// </summary>
public interface IBlockGrain : IGrainWithIntegerKey
{
    /// <summary>Largest read one call returns.</summary>
    public const int MaxReadBytes = BlockSidecar.ChunkBytes;

    Task BeginWrite(BlockWriteRequest request);
    /// <summary>Writes one chunk at a chunk-aligned offset; chunks may arrive in any order.</summary>
    Task WriteChunk(long offset, ReadOnlyMemory<byte> data);
    Task<StoredBlockInfo> CompleteWrite();
    Task AbortWrite();

    /// <summary>Reads up to <paramref name="count"/> verified bytes at <paramref name="offset"/> in the block.</summary>
    Task<byte[]> Read(BlockRef block, long offset, int count, ReadType readType);
    /// <summary>Where the block is; with a caching read type it is loaded into memory first.</summary>
    Task<BlockLocation> Locate(BlockRef block, ReadType readType);
    /// <summary>Where the block is now, without loading it.</summary>
    Task<BlockLocation> GetLocation();

    Task SetPinned(bool pinned);
    Task MarkPersisted();
    /// <summary>Drops the cached copy; refused when it is not persisted or is pinned.</summary>
    Task Free(string path);
    /// <summary>Forgets the block entirely (its file was deleted).</summary>
    Task Delete();
}
