using System.IO.Hashing;
using OrleansFs.Blocks;
using OrleansFs.Files;

namespace OrleansFs.Grains.Lineage.Recompute;

/// <summary>XxHash64 of a completed file's bytes, read through its block grains (a few chunks in flight, none cached).</summary>
public static class OutputChecksum
{
    private const int InFlight = 4;

    public static async Task<ulong> ComputeAsync(IGrainFactory grains, FileStatus file, CancellationToken cancellationToken = default)
    {
        var hash = new XxHash64();
        var pending = new Queue<Task<byte[]>>();
        foreach (var (block, offset, count) in Chunks(BlockRef.ForFile(file)))
        {
            pending.Enqueue(grains.GetGrain<IBlockGrain>(block.BlockId).Read(block, offset, count, ReadType.NoCache));
            if (pending.Count >= InFlight) hash.Append(await pending.Dequeue().WaitAsync(cancellationToken));
        }
        while (pending.Count > 0) hash.Append(await pending.Dequeue().WaitAsync(cancellationToken));
        return hash.GetCurrentHashAsUInt64();
    }

    private static IEnumerable<(BlockRef Block, long Offset, int Count)> Chunks(IEnumerable<BlockRef> blocks)
    {
        foreach (var block in blocks)
            for (long offset = 0; offset < block.Length; offset += IBlockGrain.MaxReadBytes)
                yield return (block, offset, (int)Math.Min(IBlockGrain.MaxReadBytes, block.Length - offset));
    }
}
