using OrleansFs.Blocks;
using Microsoft.Extensions.DependencyInjection;
using OrleansFs.Grains.Blocks.Placement;
using OrleansFs.Grains.Failover.Standby;
using OrleansFs.Grains.Metrics.Series;
using OrleansFs.Metrics;

namespace OrleansFs.Grains.Blocks;

[SiloPinnedPlacement]
public sealed class WorkerGrain(BlockStore store, ILocalSiloDetails silo, IServiceProvider services) : Grain, IWorkerGrain
{
    // Absent where the master is not hosted (tests of the block store alone).
    private readonly MasterStandby? _standby = services.GetService<MasterStandby>();
    private readonly MetricSeriesRecorder? _series = services.GetService<MetricSeriesRecorder>();

    public Task<WorkerStats> GetStats() => Task.FromResult(new WorkerStats
    {
        SiloAddress = silo.SiloAddress.Endpoint.ToString(),
        HostId = HostIdentity.Current,
        Tiers = store.GetTierStats(),
        Standby = _standby?.Describe() ?? "",
    });

    public Task<WorkerProbe> Probe(long blockId) => Task.FromResult(new WorkerProbe
    {
        HasBlock = store.Contains(blockId),
        ReclaimableMemoryBytes = store.ReclaimableMemoryBytes(),
    });

    public Task<MetricSeries> GetMetricSeries()
    {
        string address = silo.SiloAddress.Endpoint.ToString();
        return Task.FromResult(_series?.Snapshot(address) ?? new MetricSeries { SiloAddress = address });
    }

    public Task<IReadOnlyList<StoredBlockInfo>> GetBlocks() =>
        Task.FromResult<IReadOnlyList<StoredBlockInfo>>(store.BlockIds().Select(store.GetInfo).OfType<StoredBlockInfo>().ToArray());
}
