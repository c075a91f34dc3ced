using OrleansFs.Blocks;
using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Grains.Blocks;

namespace OrleansFs.Grains.Lineage.Recompute;

/// <summary>
/// Writes a lost block of a lineage output back into this worker's store from a recompute's scratch copy of the file:
/// the block's range of the file, read from the scratch file's blocks (whatever their size), chunk by chunk.
/// </summary>
public static class BlockRebuilder
{
    /// <summary>False when the block is already here (it was not lost, or another rebuild won).</summary>
    public static async Task<bool> RebuildAsync(BlockStore store, IGrainFactory grains, BlockRef target, IReadOnlyList<BlockRef> scratch)
    {
        if (store.GetInfo(target.BlockId) is { } held && held.Length == target.Length) return false;
        using var writer = store.BeginWrite(target.BlockId, target.Length, target.Pinned, persisted: false);
        for (long done = 0; done < target.Length; done += BlockSidecar.ChunkBytes)
        {
            int size = (int)Math.Min(BlockSidecar.ChunkBytes, target.Length - done);
            var chunk = await ReadRangeAsync(grains, scratch, target.FileOffset + done, size, target.Path);
            writer.Write(done, chunk);
        }
        writer.Commit();
        return true;
    }

    /// <summary><paramref name="count"/> bytes of the scratch file at <paramref name="fileOffset"/>, from one or two of its blocks.</summary>
    private static async Task<byte[]> ReadRangeAsync(IGrainFactory grains, IReadOnlyList<BlockRef> scratch, long fileOffset, int count, string path)
    {
        var result = new byte[count];
        int filled = 0;
        foreach (var source in scratch)
        {
            long start = fileOffset + filled;
            if (filled == count) break;
            if (start < source.FileOffset || start >= source.FileOffset + source.Length) continue;
            long inBlock = start - source.FileOffset;
            int take = (int)Math.Min(count - filled, source.Length - inBlock);
            var bytes = await grains.GetGrain<IBlockGrain>(source.BlockId).Read(source, inBlock, take, ReadType.NoCache);
            if (bytes.Length != take)
                throw new FsException(FsErrorCode.ChecksumMismatch, path, $"the recompute's copy gave {bytes.Length} bytes at {start}, not {take}");
            bytes.CopyTo(result.AsSpan(filled));
            filled += take;
        }
        if (filled != count)
            throw new FsException(FsErrorCode.ChecksumMismatch, path, $"the recompute's copy ends before byte {fileOffset + count}");
        return result;
    }
}
