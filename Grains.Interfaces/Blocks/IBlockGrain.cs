using Orleans.Concurrency;
using OrleansFs.Blocks.DataTransfer;
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

    /// <summary>RequestContext key a writer sets to the block size before BeginWrite, so placement looks for room for it.</summary>
    public const string BlockBytesContextKey = "ofs.block-bytes";

    /// <summary>Block ids: the inode id shifted left 24 bits plus the block's index in the file.</summary>
    public static long BlockIdOf(long inodeId, int index) => (inodeId << 24) | (uint)index;

    Task<BlockWriteTarget> BeginWrite(BlockWriteRequest request);
    /// <summary>Writes one chunk at a chunk-aligned offset; chunks may arrive in any order.</summary>
    Task WriteChunk(long offset, ReadOnlyMemory<byte> data);
    Task<StoredBlockInfo> CompleteWrite();
    /// <summary>
    /// Seals a block whose <paramref name="length"/> bytes a same-host client wrote into the target file
    /// itself; the worker reads them back to compute the checksums it will serve them against.
    /// </summary>
    Task<StoredBlockInfo> CompleteLocalWrite(long length);
    Task AbortWrite();
    /// <summary>A fresh write token for the write in progress, for a writer whose token expired; refused when no write is in progress.</summary>
    Task<BlockAccessToken> RenewWriteToken();

    /// <summary>Reads up to <paramref name="count"/> verified bytes at <paramref name="offset"/> in the block.</summary>
    // Reads interleave with each other, so a client can keep several chunks in flight.
    [ReadOnly]
    Task<byte[]> Read(BlockRef block, long offset, int count, ReadType readType);
    /// <summary>
    /// Where the block is, with a read token for its data endpoint; with a caching read type it is loaded into memory first.
    /// </summary>
    [ReadOnly]
    Task<BlockLocation> Locate(BlockRef block, ReadType readType);
    /// <summary>Where the block is now, without loading it.</summary>
    [ReadOnly]
    Task<BlockLocation> GetLocation();

    Task SetPinned(bool pinned);
    Task MarkPersisted();
    /// <summary>Drops the cached copy; refused when it is not persisted or is pinned.</summary>
    Task Free(string path);
    /// <summary>Forgets the block entirely (its file was deleted).</summary>
    Task Delete();
}
