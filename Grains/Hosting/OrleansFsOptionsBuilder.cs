using Microsoft.Extensions.DependencyInjection;
using OrleansFs.Grains.Blocks;
using OrleansFs.Grains.Failover;
using OrleansFs.Grains.Journal;
using OrleansFs.Grains.Master;
using OrleansFs.Grains.UnderStorage;

namespace OrleansFs.Grains.Hosting;

/// <summary>
/// Code-side settings for <see cref="OrleansFsSiloBuilderExtensions.AddOrleansFs(ISiloBuilder, Action{OrleansFsOptionsBuilder})"/>:
/// each delegate runs after the section is bound, so it overrides configuration, and the section's validator
/// still checks the result.
/// </summary>
public sealed class OrleansFsOptionsBuilder(IServiceCollection services)
{
    public IServiceCollection Services { get; } = services;

    public OrleansFsOptionsBuilder Cluster(Action<OrleansFsClusterOptions> configure) => Configure(configure);
    public OrleansFsOptionsBuilder ZooKeeper(Action<ZooKeeperOptions> configure) => Configure(configure);
    public OrleansFsOptionsBuilder Journal(Action<JournalOptions> configure) => Configure(configure);
    public OrleansFsOptionsBuilder Master(Action<MasterOptions> configure) => Configure(configure);
    public OrleansFsOptionsBuilder Worker(Action<WorkerOptions> configure) => Configure(configure);
    public OrleansFsOptionsBuilder UnderStorage(Action<UnderStorageOptions> configure) => Configure(configure);
    public OrleansFsOptionsBuilder Failover(Action<FailoverOptions> configure) => Configure(configure);
    public OrleansFsOptionsBuilder Lineage(Action<Lineage.LineageOptions> configure) => Configure(configure);

    private OrleansFsOptionsBuilder Configure<TOptions>(Action<TOptions> configure) where TOptions : class
    {
        Services.Configure(configure);
        return this;
    }
}
