namespace OrleansFs.Blocks;

/// <summary>
/// One per silo (key: the silo's parsable address, see <see cref="KeyFor"/>), placed on that silo: its
/// block store's statistics and contents.
/// </summary>
public interface IWorkerGrain : IGrainWithStringKey
{
    Task<WorkerStats> GetStats();
    Task<WorkerProbe> Probe(long blockId);
    Task<IReadOnlyList<StoredBlockInfo>> GetBlocks();
    /// <summary>The silo's last 15 minutes of rates and journal latency, for the web interface's charts.</summary>
    Task<OrleansFs.Metrics.MetricSeries> GetMetricSeries();

    public static string KeyFor(SiloAddress silo) => silo.ToParsableString();
}
