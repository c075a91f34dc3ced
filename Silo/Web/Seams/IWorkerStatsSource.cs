using Orleans.Runtime;

namespace OrleansFs.Silo.Web.Seams;

/// <summary>
/// Seam for the block storage: capacity, use and block count per silo. The default reports nothing
/// (null), and the pages say so; the block code registers its own implementation with AddSingleton.
/// </summary>
public interface IWorkerStatsSource
{
    Task<IReadOnlyDictionary<SiloAddress, WorkerStats>?> GetAsync(CancellationToken cancellationToken);
}
