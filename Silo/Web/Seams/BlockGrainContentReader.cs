using Microsoft.Extensions.Options;
using Orleans;
using OrleansFs.Blocks;
using OrleansFs.Files;
using OrleansFs.Silo.Web.Options;

namespace OrleansFs.Silo.Web.Seams;

/// <summary>
/// The first bytes of a file, read from its first block without caching it (NoCache), so looking at a
/// file on the web page does not change what is in memory.
/// </summary>
public sealed class BlockGrainContentReader(IGrainFactory grains, IOptions<WebOptions> options) : IFileContentReader
{
    public async Task<ReadOnlyMemory<byte>?> ReadHeadAsync(FileStatus file, int count, CancellationToken cancellationToken)
    {
        if (file.BlockIds.Count == 0 || file.Length == 0) return ReadOnlyMemory<byte>.Empty;
        var first = BlockRef.ForFile(file)[0];
        int wanted = (int)Math.Min(Math.Min(count, first.Length), IBlockGrain.MaxReadBytes);
        byte[] bytes = await grains.GetGrain<IBlockGrain>(first.BlockId).Read(first, 0, wanted, ReadType.NoCache)
            .WaitAsync(options.Value.GrainCallTimeout, cancellationToken);
        return bytes;
    }
}
