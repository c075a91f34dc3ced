using Microsoft.Extensions.Options;
using Orleans.Configuration;
using OrleansFs.Client.Tls;
using OrleansFs.Clustering.ZooKeeper;
using OrleansFs.Security;

namespace OrleansFs.Client.Hosting;

/// <summary>Configures an Orleans client for an OrleansFs cluster from <see cref="OrleansFsClientOptions"/>.</summary>
internal static class ClientClustering
{
    /// <summary>The ADO.NET provider name Orleans maps to Npgsql's factory.</summary>
    public const string PostgreSqlInvariant = "Npgsql";

    public static void Configure(IClientBuilder client, OrleansFsClientOptions options, GatewayTlsReport tlsReport)
    {
        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
        });
        // Metadata attempts are bounded tighter by the retry policy (AttemptTimeout); this bounds everything else.
        client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = options.ResponseTimeout);
        client.UseConnectionRetryFilter(new ConnectRetryFilter(options.ConnectTimeout, OpenConnectionTimeout(options.ConnectTimeout), tlsReport));
        // A gateway whose host vanished drops the connection's packets: never wait on it longer than the connect timeout.
        client.Configure<ConnectionOptions>(o => o.OpenConnectionTimeout = OpenConnectionTimeout(options.ConnectTimeout));
        client.Configure<TypeManagementOptions>(o => o.TypeMapRefreshInterval = ManifestRefreshAfterConnect.WhileConnecting);
        if (!string.IsNullOrWhiteSpace(options.ZooKeeperConnectionString))
        {
            client.UseZooKeeperClustering((OptionsBuilder<ZooKeeperGatewayListProviderOptions> zooKeeper) =>
                zooKeeper.Configure<CertificateSource>((o, certificates) =>
                {
                    o.ConnectionString = options.ZooKeeperConnectionString;
                    o.Auth = options.ZooKeeperAuth;
                    // The server's certificate must name the host as written in the connection string.
                    if (options.Tls.UsesZooKeeperTls) o.Tls = server => certificates.ClientOptions(server.Host);
                }));
            // A new or restarted silo is found within seconds, not Orleans' default minute.
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = options.GatewayListRefreshPeriod);
            return;
        }
        if (!string.IsNullOrWhiteSpace(options.PostgreSqlConnectionString))
        {
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = PostgreSqlInvariant;
                o.ConnectionString = options.PostgreSqlConnectionString;
            });
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = options.GatewayListRefreshPeriod);
            return;
        }
        // Resolved when the client is built, from the validated options (a bad value fails validation naming it),
        // not when it is registered.
        client.UseStaticClustering((OptionsBuilder<StaticGatewayListProviderOptions> gateways) =>
            gateways.Configure<IOptions<OrleansFsClientOptions>>((o, validated) =>
                o.Gateways = GatewayEndpoints.Resolve(GatewaysOf(validated.Value)).Select(e => e.ToGatewayUri()).ToList()));
    }

    /// <summary>
    /// Orleans' default of 5 s, or the connect timeout when that is shorter. Not less: on a busy machine a live
    /// gateway's handshake can take seconds, and giving up on it would report a healthy cluster unreachable.
    /// </summary>
    public static TimeSpan OpenConnectionTimeout(TimeSpan connectTimeout) =>
        connectTimeout < DefaultOpenConnectionTimeout ? connectTimeout : DefaultOpenConnectionTimeout;

    private static readonly TimeSpan DefaultOpenConnectionTimeout = TimeSpan.FromSeconds(5);

    private static List<string> GatewaysOf(OrleansFsClientOptions options) =>
        options.Gateways.Count > 0 ? options.Gateways : [OrleansFsClientOptions.DefaultGateway];
}
