using Microsoft.Extensions.Configuration;
using OrleansFs.Grains.Blocks;
using OrleansFs.Grains.Failover;
using OrleansFs.Grains.Journal;
using OrleansFs.Grains.Lineage;
using OrleansFs.Grains.Metrics;
using OrleansFs.Grains.Master;
using OrleansFs.Grains.Storage;

namespace OrleansFs.Grains.Hosting;

/// <summary>
/// The one entry point that makes an Orleans silo an OrleansFs silo: the master and its journal, the block
/// store, under-storage and data endpoint, failover (standby, hand-off, takeover inspection, failure detection)
/// and metrics. Clustering is chosen separately, as for any Orleans silo (<c>UseZooKeeperClustering</c>,
/// <c>UseLocalhostClustering</c>, a test cluster's own).
/// </summary>
public static class OrleansFsSiloBuilderExtensions
{
    /// <summary>Settings from the sections of <paramref name="configuration"/> (`Cluster`, `ZooKeeper`, `Security`, `Journal`, `Master`, `Worker`, `UnderStorage`, `Lineage`, `Failover`, `Storage`).</summary>
    public static ISiloBuilder AddOrleansFs(this ISiloBuilder silo, IConfiguration configuration) =>
        silo.AddOrleansFs(configuration, _ => { });

    /// <summary>Defaults, changed in code by <paramref name="configure"/>.</summary>
    public static ISiloBuilder AddOrleansFs(this ISiloBuilder silo, Action<OrleansFsOptionsBuilder> configure) =>
        silo.AddOrleansFs(new ConfigurationBuilder().Build(), configure);

    /// <summary>Settings from <paramref name="configuration"/>, then changed in code by <paramref name="configure"/>.</summary>
    public static ISiloBuilder AddOrleansFs(this ISiloBuilder silo, IConfiguration configuration, Action<OrleansFsOptionsBuilder> configure)
    {
        var services = silo.Services;
        services.AddOrleansFsSection<OrleansFsClusterOptions, OrleansFsClusterOptionsValidator>(configuration, OrleansFsClusterOptions.Section);
        services.AddOrleansFsSection<ZooKeeperOptions, ZooKeeperOptionsValidator>(configuration, ZooKeeperOptions.Section);
        services.AddOrleansFsSecurity(configuration);
        services.AddOrleansFsJournal(configuration);
        services.AddOrleansFsMaster(configuration);
        silo.AddOrleansFsData(configuration);
        silo.AddOrleansFsLineage(configuration);
        silo.AddOrleansFsFailover(configuration);
        silo.AddOrleansFsMetrics();
        silo.AddOrleansFsStorage(configuration);
        configure(new OrleansFsOptionsBuilder(services));
        return silo;
    }
}
