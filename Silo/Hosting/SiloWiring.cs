using System.Net;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using OrleansFs.Grains.Hosting;
using OrleansFs.Grains.Journal;
using OrleansFs.Grains.Journal.PostgreSql;
using OrleansFs.Security;
using OrleansFs.Silo.Configuration;

namespace OrleansFs.Silo.Hosting;

/// <summary>Configures the Orleans silo from the `Cluster`, `Silo`, `ZooKeeper` and `PostgreSql` sections: ids, endpoints, membership.</summary>
internal static class SiloWiring
{
    /// <summary>The ADO.NET provider name Orleans maps to Npgsql's factory.</summary>
    private const string PostgreSqlInvariant = "Npgsql";

    public static void Configure(ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        services.AddOptions<ClusterOptions>().Configure<IOptions<OrleansFsClusterOptions>>((o, cluster) =>
        {
            o.ClusterId = cluster.Value.Id;
            o.ServiceId = cluster.Value.ServiceId;
        });
        services.AddOptions<SiloOptions>().Configure<IOptions<SiloHostOptions>>((o, host) => o.SiloName = $"silo-{host.Value.Port}");
        services.AddOptions<EndpointOptions>().Configure<IOptions<SiloHostOptions>>((o, host) =>
        {
            o.AdvertisedIPAddress = host.Value.AdvertisedIPAddress;
            o.SiloPort = host.Value.Port;
            o.GatewayPort = host.Value.GatewayPort;
        });
        UseMembership(silo, configuration);
    }

    /// <summary>
    /// The membership provider is chosen while services are registered, so from the raw `Cluster:Membership`;
    /// a value that names no kind, or AdoNet, is refused by the `Cluster` validator before Orleans starts.
    /// </summary>
    private static void UseMembership(ISiloBuilder silo, IConfiguration configuration)
    {
        string? membership = configuration[$"{OrleansFsClusterOptions.Section}:{nameof(OrleansFsClusterOptions.Membership)}"];
        var kind = OrleansFsClusterOptions.ParseMembership(membership);
        if (kind == MembershipKind.PostgreSql
            || JournalOptionsValidator.IsPostgreSql(configuration[$"{JournalOptions.Section}:{nameof(JournalOptions.Kind)}"]))
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, PostgreSqlSchemaStartup>();
        if (kind == MembershipKind.PostgreSql)
        {
            silo.UseAdoNetClustering(options => options.Configure<IOptions<PostgreSqlOptions>>((o, postgres) =>
            {
                o.Invariant = PostgreSqlInvariant;
                o.ConnectionString = postgres.Value.ConnectionString;
            }));
            return;
        }
        if (kind == MembershipKind.ZooKeeper)
        {
            silo.UseZooKeeperClustering(options => options.Configure<IOptions<ZooKeeperOptions>, IOptions<SecurityOptions>, CertificateSource>((o, zooKeeper, security, certificates) =>
            {
                o.ConnectionString = zooKeeper.Value.ConnectionString;
                o.Auth = zooKeeper.Value.Auth;
                o.WorldReadable = zooKeeper.Value.WorldReadable;
                o.Tls = ZooKeeperTls.For(zooKeeper.Value, security.Value, certificates);
            }));
            return;
        }
        // A single silo on this machine: it is its own primary silo.
        silo.UseDevelopmentClustering(options => options.Configure<IOptions<EndpointOptions>>((o, endpoints) =>
            o.PrimarySiloEndpoint = new IPEndPoint(endpoints.Value.AdvertisedIPAddress, endpoints.Value.SiloPort)));
    }
}
