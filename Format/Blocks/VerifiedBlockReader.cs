using System.Buffers;
using Microsoft.Win32.SafeHandles;
using OrleansFs.Errors;

namespace OrleansFs.Blocks;

/// <summary>
/// Positional reads of a block file that check every chunk they touch against the sidecar, so bytes that
/// do not match the checksum are never handed out. Used by workers and by same-host clients alike.
/// </summary>
public static class VerifiedBlockReader
{
    /// <summary>
    /// Reads like <see cref="Read(SafeFileHandle, BlockSidecar, long, Span{byte})"/>, but without hashing while the file's
    /// stamp after the read is <paramref name="trusted"/> (the stamp its worker verified it under); when the stamp
    /// differs, <paramref name="trusted"/> is cleared and this read and later ones are verified. Returns the count and
    /// whether the bytes were hashed.
    /// </summary>
    public static (int Count, bool Hashed) Read(SafeFileHandle file, BlockSidecar sidecar, long offset, Span<byte> destination, ref BlockFileStamp? trusted)
    {
        if (trusted is { } stamp)
        {
            if (offset < 0 || offset > sidecar.Length)
                throw FsException.InvalidArgument(null, $"offset {offset} is outside block {sidecar.BlockId} of {sidecar.Length} bytes");
            int count = (int)Math.Min(destination.Length, sidecar.Length - offset);
            int filled = 0;
            while (filled < count)
            {
                int n = RandomAccess.Read(file, destination[filled..count], offset + filled);
                if (n == 0) break; // shorter than recorded: the stamp differs and the verified read reports it
                filled += n;
            }
            // Checked after the read: had the file changed before or during it, its change time says so.
            if (BlockFileStamp.Of(file) == stamp) return (count, false);
            trusted = null;
        }
        return (Read(file, sidecar, offset, destination), true);
    }

    /// <summary>Reads up to <paramref name="destination"/>.Length bytes at <paramref name="offset"/>; returns the count.</summary>
    public static int Read(SafeFileHandle file, BlockSidecar sidecar, long offset, Span<byte> destination)
    {
        if (offset < 0 || offset > sidecar.Length)
            throw FsException.InvalidArgument(null, $"offset {offset} is outside block {sidecar.BlockId} of {sidecar.Length} bytes");
        int count = (int)Math.Min(destination.Length, sidecar.Length - offset);
        int done = 0;
        byte[]? scratch = null;
        try
        {
            while (done < count)
            {
                long position = offset + done;
                int chunk = (int)(position / BlockSidecar.ChunkBytes);
                long chunkStart = (long)chunk * BlockSidecar.ChunkBytes;
                int chunkLength = (int)Math.Min(BlockSidecar.ChunkBytes, sidecar.Length - chunkStart);
                int skip = (int)(position - chunkStart);
                int take = Math.Min(chunkLength - skip, count - done);
                if (skip == 0 && take == chunkLength)
                {
                    // Whole chunk wanted: read straight into the caller's buffer and check it there.
                    var target = destination.Slice(done, chunkLength);
                    ReadExactly(file, target, chunkStart, sidecar);
                    Verify(target, sidecar, chunk);
                }
                else
                {
                    scratch ??= ArrayPool<byte>.Shared.Rent(BlockSidecar.ChunkBytes);
                    var whole = scratch.AsSpan(0, chunkLength);
                    ReadExactly(file, whole, chunkStart, sidecar);
                    Verify(whole, sidecar, chunk);
                    whole.Slice(skip, take).CopyTo(destination[done..]);
                }
                done += take;
            }
            return count;
        }
        finally
        {
            if (scratch is not null) ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private static void ReadExactly(SafeFileHandle file, Span<byte> target, long fileOffset, BlockSidecar sidecar)
    {
        int filled = 0;
        while (filled < target.Length)
        {
            int n = RandomAccess.Read(file, target[filled..], fileOffset + filled);
            if (n == 0) throw Mismatch(sidecar, "block file is shorter than its recorded length");
            filled += n;
        }
    }

    private static void Verify(ReadOnlySpan<byte> chunk, BlockSidecar sidecar, int index)
    {
        if (BlockSidecar.Hash(chunk) != sidecar.ChunkHashes[index])
            throw Mismatch(sidecar, $"chunk {index} does not match its checksum");
    }

    private static FsException Mismatch(BlockSidecar sidecar, string reason) =>
        new(FsErrorCode.ChecksumMismatch, null, $"block {sidecar.BlockId}: {reason}");
}
