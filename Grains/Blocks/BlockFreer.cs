using OrleansFs.Blocks;
using OrleansFs.Files;
using OrleansFs.Grains.Master;

namespace OrleansFs.Grains.Blocks;

/// <summary>The master's TTL action FREE: drops a persisted file's blocks from worker memory.</summary>
public sealed class BlockFreer(IGrainFactory grains) : IBlockFreer
{
    public Task FreeAsync(FileStatus file, CancellationToken cancellationToken) =>
        Task.WhenAll(file.BlockIds.Select(id => grains.GetGrain<IBlockGrain>(id).Free(file.Path))).WaitAsync(cancellationToken);
}
