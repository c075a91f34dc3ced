using Microsoft.Win32.SafeHandles;
using OrleansFs.Blocks;
using OrleansFs.Errors;

namespace OrleansFs.Grains.Blocks;

/// <summary>
/// A block being written. Chunks arrive at chunk-aligned offsets, possibly out of order (a client keeps
/// several in flight, from its grain or through the data endpoint); each is hashed as it lands. Commit checks
/// that the chunks form one contiguous block.
/// </summary>
public sealed class BlockWriter : IDisposable
{
    private readonly BlockStore _store;
    private readonly BlockTier _tier;
    private readonly SafeFileHandle _file;
    private readonly bool _pinned;
    private readonly bool _persisted;
    private readonly Dictionary<int, (ulong Hash, int Length)> _chunks = new();
    private readonly object _sync = new();
    private long _reserved;
    private bool _finished;

    internal BlockWriter(BlockStore store, BlockTier tier, long blockId, long reserved, bool pinned, bool persisted)
    {
        _store = store;
        _tier = tier;
        BlockId = blockId;
        _reserved = reserved;
        _pinned = pinned;
        _persisted = persisted;
        TempDataPath = tier.TempDataPath(blockId);
        // Shared for writing too: a same-host client may write the bytes itself (short-circuit write).
        _file = File.OpenHandle(TempDataPath, FileMode.Create, FileAccess.ReadWrite, FileShare.ReadWrite);
    }

    public long BlockId { get; }

    /// <summary>The file the bytes go to until commit.</summary>
    public string TempDataPath { get; }

    /// <summary>Bytes received so far.</summary>
    public long Length { get; private set; }

    public void Write(long offset, ReadOnlySpan<byte> data) => Write(offset, data, BlockSidecar.Hash(data));

    /// <summary>Writes a chunk whose XxHash3 the caller computed as the bytes arrived (the data endpoint hashes while receiving).</summary>
    public void Write(long offset, ReadOnlySpan<byte> data, ulong hash)
    {
        if (offset < 0 || offset % BlockSidecar.ChunkBytes != 0)
            throw FsException.InvalidArgument(null, $"block {BlockId}: offset {offset} is not a multiple of {BlockSidecar.ChunkBytes}");
        if (data.Length == 0 || data.Length > BlockSidecar.ChunkBytes)
            throw FsException.InvalidArgument(null, $"block {BlockId}: chunk of {data.Length} bytes (must be 1..{BlockSidecar.ChunkBytes})");
        long end = offset + data.Length;
        lock (_sync)
        {
            ThrowIfFinished();
            if (end > _reserved)
            {
                _store.Grow(_tier, end - _reserved, BlockId);
                _reserved = end;
            }
        }
        // Chunks of one block may arrive on several data connections at once; only the bookkeeping is serialized.
        RandomAccess.Write(_file, data, offset);
        lock (_sync)
        {
            ThrowIfFinished();
            _chunks[(int)(offset / BlockSidecar.ChunkBytes)] = (hash, data.Length);
            Length = Math.Max(Length, end);
        }
    }

    private void ThrowIfFinished()
    {
        if (_finished) throw FsException.InvalidArgument(null, $"block {BlockId} is already committed or aborted");
    }

    public StoredBlockInfo Commit()
    {
        ulong[] hashes;
        long length = 0;
        lock (_sync)
        {
            ThrowIfFinished();
            int count = _chunks.Count;
            hashes = new ulong[count];
            for (int i = 0; i < count; i++)
            {
                if (!_chunks.TryGetValue(i, out var chunk))
                    throw FsException.InvalidArgument(null, $"block {BlockId}: chunk {i} is missing");
                if (i < count - 1 && chunk.Length != BlockSidecar.ChunkBytes)
                    throw FsException.InvalidArgument(null, $"block {BlockId}: chunk {i} is short ({chunk.Length} bytes) but not last");
                hashes[i] = chunk.Hash;
                length += chunk.Length;
            }
            _finished = true;
        }
        _file.Dispose();
        try
        {
            return _store.Commit(_tier, new BlockSidecar(BlockId, length, hashes, _pinned, _persisted), _reserved);
        }
        catch
        {
            _store.Abort(_tier, BlockId, _reserved);
            throw;
        }
    }

    /// <summary>
    /// Commits <paramref name="length"/> bytes that someone else wrote into <see cref="TempDataPath"/>,
    /// hashing them here so the checksums are the worker's own.
    /// </summary>
    public StoredBlockInfo CommitLocal(long length)
    {
        lock (_sync) ThrowIfFinished();
        if (length < 0 || RandomAccess.GetLength(_file) != length)
            throw FsException.InvalidArgument(null, $"block {BlockId}: {RandomAccess.GetLength(_file)} bytes written locally, {length} claimed");
        if (length > _reserved)
        {
            _store.Grow(_tier, length - _reserved, BlockId);
            _reserved = length;
        }
        _chunks.Clear();
        byte[] chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(BlockSidecar.ChunkBytes);
        try
        {
            for (long offset = 0; offset < length; offset += BlockSidecar.ChunkBytes)
            {
                int size = (int)Math.Min(BlockSidecar.ChunkBytes, length - offset);
                int read = 0;
                while (read < size)
                {
                    int n = RandomAccess.Read(_file, chunk.AsSpan(read, size - read), offset + read);
                    if (n == 0) throw FsException.InvalidArgument(null, $"block {BlockId}: file ended early at {offset + read}");
                    read += n;
                }
                _chunks[(int)(offset / BlockSidecar.ChunkBytes)] = (BlockSidecar.Hash(chunk.AsSpan(0, size)), size);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }
        Length = length;
        return Commit();
    }

    /// <summary>Aborts the write unless it was committed.</summary>
    public void Dispose()
    {
        lock (_sync)
        {
            if (_finished) return;
            _finished = true;
        }
        _file.Dispose();
        _store.Abort(_tier, BlockId, _reserved);
    }
}
