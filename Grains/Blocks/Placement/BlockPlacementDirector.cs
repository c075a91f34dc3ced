using Microsoft.Extensions.Logging;
using Orleans.Runtime.Placement;
using OrleansFs.Blocks;
using OrleansFs.Files;

namespace OrleansFs.Grains.Blocks.Placement;

/// <summary>
/// Asks every compatible silo's worker whether it holds the block and how much memory it could free.
/// Holding the block wins (a restarted worker keeps serving the blocks on its tmpfs, and a grain that was
/// deactivated comes back where its bytes are); then the local silo, which for a client call is the
/// gateway it came through; then the silo with the most reclaimable memory.
/// </summary>
public sealed partial class BlockPlacementDirector(IGrainFactory grains, BlockStore localStore, ILogger<BlockPlacementDirector> logger)
    : IPlacementDirector
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    public async Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        long blockId = target.GrainIdentity.GetIntegerKey();
        var silos = context.GetCompatibleSilos(target);
        long wanted = BlockBytes(target);
        var probes = await Task.WhenAll(silos.Select(s => ProbeAsync(s, blockId, context.LocalSilo)));
        var holder = Array.FindIndex(probes, p => p?.HasBlock == true);
        if (holder >= 0) return silos[holder];
        int local = Array.IndexOf(silos, context.LocalSilo);
        if (local >= 0 && probes[local]?.ReclaimableMemoryBytes >= wanted) return silos[local];
        int best = 0;
        for (int i = 1; i < silos.Length; i++)
            if ((probes[i]?.ReclaimableMemoryBytes ?? -1) > (probes[best]?.ReclaimableMemoryBytes ?? -1)) best = i;
        return silos[best];
    }

    private async Task<WorkerProbe?> ProbeAsync(SiloAddress silo, long blockId, SiloAddress local)
    {
        if (silo.Equals(local))
            return new WorkerProbe { HasBlock = localStore.Contains(blockId), ReclaimableMemoryBytes = localStore.ReclaimableMemoryBytes() };
        try
        {
            return await grains.GetGrain<IWorkerGrain>(IWorkerGrain.KeyFor(silo)).Probe(blockId).WaitAsync(ProbeTimeout);
        }
        catch (Exception e)
        {
            LogProbeFailed(logger, e, blockId, silo);
            return null;
        }
    }

    private static long BlockBytes(PlacementTarget target) =>
        target.RequestContextData is { } data && data.TryGetValue(IBlockGrain.BlockBytesContextKey, out var value) && value is long bytes
            ? bytes
            : CreateFileOptions.DefaultBlockSizeBytes;

    [LoggerMessage(EventId = 1520, Level = LogLevel.Warning, Message = "Placement of block {BlockId}: worker {Silo} did not answer")]
    private static partial void LogProbeFailed(ILogger logger, Exception exception, long blockId, SiloAddress silo);
}
