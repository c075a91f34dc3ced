using Microsoft.Win32.SafeHandles;
using OrleansFs.Blocks;
using OrleansFs.Errors;

namespace OrleansFs.Grains.Blocks;

/// <summary>
/// One open read of a stored block. A memory-tier block this worker verified (sealed it, or scrubbed it) is read
/// without hashing again, as long as its file's <see cref="BlockFileStamp"/> after the read is still the one taken
/// when it was verified; any other block, or one whose file changed behind the worker's back, is checked chunk by
/// chunk against its sidecar, and a block that fails is dropped and the error thrown. Bytes that do not match the
/// checksum are never returned.
/// </summary>
public sealed class BlockReader : IDisposable
{
    private readonly BlockStore _store;
    private readonly StoredBlock _block;
    private readonly SafeFileHandle _file;
    private BlockFileStamp? _trusted;

    internal BlockReader(BlockStore store, StoredBlock block, SafeFileHandle file, BlockFileStamp? trusted)
    {
        _store = store;
        _block = block;
        _file = file;
        _trusted = trusted;
    }

    public long BlockId => _block.BlockId;
    public long Length => _block.Length;

    /// <summary>True while reads are served without hashing.</summary>
    public bool Trusted => _trusted is not null;

    /// <summary>Reads up to <paramref name="destination"/>.Length bytes at <paramref name="offset"/>; returns the count.</summary>
    public int Read(long offset, Span<byte> destination)
    {
        var trusted = _trusted;
        try
        {
            var (count, hashed) = VerifiedBlockReader.Read(_file, _block.Sidecar, offset, destination, ref _trusted);
            if (hashed) _store.CountVerified(count);
            return count;
        }
        catch (FsException e) when (e.Code == FsErrorCode.ChecksumMismatch)
        {
            _store.DropCorrupt(_block, e);
            throw;
        }
        finally
        {
            if (trusted is { } stamp && _trusted is null) _store.Distrust(_block, stamp);
        }
    }

    /// <summary>
    /// The open block file, for sending a trusted block's bytes without reading them here (sendfile). Bytes sent that way
    /// are good only if <see cref="StillTrusted"/> holds after the send.
    /// </summary>
    public SafeFileHandle File => _file;

    /// <summary>
    /// True while the block is trusted and its file's stamp is still the one it was verified under, so bytes taken from
    /// it since that stamp was taken are the verified bytes. When the stamp differs the block is distrusted, as on a read.
    /// </summary>
    public bool StillTrusted()
    {
        if (_trusted is not { } stamp) return false;
        if (BlockFileStamp.Of(_file) == stamp) return true;
        _trusted = null;
        _store.Distrust(_block, stamp);
        return false;
    }

    public void Dispose() => _file.Dispose();
}
