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
        // Metadata attempts are bounded tighter by the retry policy (AttemptTimeout); this bounds everything else.
        client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = options.ResponseTimeout);
        client.UseConnectionRetryFilter(new ConnectRetryFilter(options.ConnectTimeout));
        if (!string.IsNullOrWhiteSpace(options.ZooKeeperConnectionString))
        {
            client.UseZooKeeperClustering(o =>
            {
                o.ConnectionString = options.ZooKeeperConnectionString;
                o.Auth = options.ZooKeeperAuth;
            });
            // A new or restarted silo is found within seconds, not Orleans' default minute.
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = options.GatewayListRefreshPeriod);
            return;
        }
        var gateways = options.Gateways.Count > 0 ? options.Gateways : [OrleansFsClientOptions.DefaultGateway];
        // Resolved when the client starts, after the options were validated, not when it is registered.
        client.UseStaticClustering(o => o.Gateways = GatewayEndpoints.Resolve(gateways).Select(e => e.ToGatewayUri()).ToList());
    }
}
