using System.Net;
using Orleans.Configuration;
using OrleansFs.Silo.Configuration;

namespace OrleansFs.Silo.Hosting;

/// <summary>Configures the Orleans silo from the checked configuration: ids, endpoints, membership.</summary>
internal static class SiloWiring
{
    public static void Configure(ISiloBuilder silo, SiloConfiguration configuration)
    {
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = configuration.Cluster.Id;
            o.ServiceId = configuration.Cluster.ServiceId;
        });
        silo.Configure<SiloOptions>(o => o.SiloName = $"silo-{configuration.Silo.Port}");
        UseMembership(silo, configuration);
        silo.Configure<EndpointOptions>(o =>
        {
            o.AdvertisedIPAddress = configuration.AdvertisedAddress;
            o.SiloPort = configuration.Silo.Port;
            o.GatewayPort = configuration.Silo.GatewayPort;
        });
    }

    private static void UseMembership(ISiloBuilder silo, SiloConfiguration configuration)
    {
        configuration.ZooKeeper.AuthEntries(); // a malformed ZooKeeper:Auth stops the silo with one line, even if unused
        switch (configuration.Membership)
        {
            case MembershipKind.Localhost:
                var self = new IPEndPoint(configuration.AdvertisedAddress, configuration.Silo.Port);
                silo.UseLocalhostClustering(
                    configuration.Silo.Port, configuration.Silo.GatewayPort, self,
                    configuration.Cluster.ServiceId, configuration.Cluster.Id);
                break;
            case MembershipKind.ZooKeeper:
                silo.UseZooKeeperClustering(o =>
                {
                    o.ConnectionString = configuration.ZooKeeper.ConnectionString;
                    o.Auth = configuration.ZooKeeper.Auth;
                    o.WorldReadable = configuration.ZooKeeper.WorldReadable;
                });
                break;
            default:
                throw new SiloConfigurationException($"Cluster:Membership {configuration.Membership} is not supported yet");
        }
    }
}
