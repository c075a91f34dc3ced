using Orleans.Configuration;

namespace OrleansFs.Client.Hosting;

/// <summary>Configures an Orleans client for an OrleansFs cluster from <see cref="OrleansFsClientOptions"/>.</summary>
internal static class ClientClustering
{
    public static void Configure(IClientBuilder client, OrleansFsClientOptions options)
    {
        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
        });
        // One attempt is bounded here; the retry policy bounds the whole call.
        client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = options.AttemptTimeout);
        client.UseConnectionRetryFilter(new ConnectRetryFilter(options.ConnectTimeout));
        if (!string.IsNullOrWhiteSpace(options.ZooKeeperConnectionString))
        {
            client.UseZooKeeperClustering(o => o.ConnectionString = options.ZooKeeperConnectionString);
            // Gateways come and go with failovers; look them up often rather than once a minute.
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
            return;
        }
        var gateways = options.Gateways.Count > 0 ? options.Gateways : [OrleansFsClientOptions.DefaultGateway];
        client.UseStaticClustering(GatewayEndpoints.Resolve(gateways));
    }
}
