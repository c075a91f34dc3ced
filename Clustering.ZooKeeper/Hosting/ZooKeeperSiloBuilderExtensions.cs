using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrleansFs.Clustering.ZooKeeper;

namespace Orleans.Hosting;

/// <summary>Registers the ZooKeeper membership table on a silo.</summary>
public static class ZooKeeperSiloBuilderExtensions
{
    public static ISiloBuilder UseZooKeeperClustering(this ISiloBuilder builder, Action<ZooKeeperClusteringSiloOptions> configure) =>
        builder.UseZooKeeperClustering(options => options.Configure(configure));

    public static ISiloBuilder UseZooKeeperClustering(this ISiloBuilder builder, Action<OptionsBuilder<ZooKeeperClusteringSiloOptions>> configure)
    {
        configure(builder.Services.AddOptions<ZooKeeperClusteringSiloOptions>());
        builder.Services.AddSingleton<ZooKeeperMembershipTable>();
        builder.Services.AddSingleton<IMembershipTable>(sp => sp.GetRequiredService<ZooKeeperMembershipTable>());
        builder.Services.AddSingleton<IConfigurationValidator>(sp =>
            new ZooKeeperClusteringOptionsValidator<ZooKeeperClusteringSiloOptions>(sp.GetRequiredService<IOptions<ZooKeeperClusteringSiloOptions>>().Value));
        return builder;
    }
}
