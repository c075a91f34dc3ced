using OrleansFs.Blocks;
using OrleansFs.Grains.Blocks.Placement;

namespace OrleansFs.Grains.Blocks;

[SiloPinnedPlacement]
public sealed class WorkerGrain(BlockStore store, ILocalSiloDetails silo) : Grain, IWorkerGrain
{
    public Task<WorkerStats> GetStats() => Task.FromResult(new WorkerStats
    {
        SiloAddress = silo.SiloAddress.Endpoint.ToString(),
        HostId = HostIdentity.Current,
        Tiers = store.GetTierStats(),
    });

    public Task<WorkerProbe> Probe(long blockId) => Task.FromResult(new WorkerProbe
    {
        HasBlock = store.Contains(blockId),
        ReclaimableMemoryBytes = store.ReclaimableMemoryBytes(),
    });

    public Task<IReadOnlyList<StoredBlockInfo>> GetBlocks() =>
        Task.FromResult<IReadOnlyList<StoredBlockInfo>>(store.BlockIds().Select(store.GetInfo).OfType<StoredBlockInfo>().ToArray());
}
