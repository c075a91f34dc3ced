using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Messaging;
using OrleansFs.Clustering.ZooKeeper;

namespace Orleans.Hosting;

/// <summary>Registers the ZooKeeper gateway list provider on an Orleans client.</summary>
public static class ZooKeeperClientBuilderExtensions
{
    public static IClientBuilder UseZooKeeperClustering(this IClientBuilder builder, Action<ZooKeeperGatewayListProviderOptions> configure) =>
        builder.UseZooKeeperClustering(options => options.Configure(configure));

    public static IClientBuilder UseZooKeeperClustering(this IClientBuilder builder, Action<OptionsBuilder<ZooKeeperGatewayListProviderOptions>> configure)
    {
        configure(builder.Services.AddOptions<ZooKeeperGatewayListProviderOptions>());
        builder.Services.AddSingleton<IGatewayListProvider, ZooKeeperGatewayListProvider>();
        builder.Services.AddSingleton<IConfigurationValidator>(sp =>
            new ZooKeeperClusteringOptionsValidator<ZooKeeperGatewayListProviderOptions>(sp.GetRequiredService<IOptions<ZooKeeperGatewayListProviderOptions>>().Value));
        return builder;
    }
}
