using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using OrleansFs.Clustering.ZooKeeper;
using OrleansFs.Tests.Fixtures;

namespace OrleansFs.Tests;

[Collection(StandaloneCollection.Name)]
public sealed class GatewayListProviderTests(StandaloneZooKeeperFixture zk)
{
    [Fact]
    public async Task Only_active_silos_with_a_gateway_port_are_listed()
    {
        var root = await zk.NewRootAsync("gw");
        var cluster = Options.Create(new ClusterOptions { ClusterId = "c1", ServiceId = "s" });
        await using var table = new ZooKeeperMembershipTable(
            Options.Create(new ZooKeeperClusteringSiloOptions { ConnectionString = zk.ConnectionString + root }), cluster,
            NullLogger<ZooKeeperMembershipTable>.Instance);
        await table.InitializeMembershipTable(true);
        await Insert(table, 1, SiloStatus.Active, proxyPort: 30001);
        await Insert(table, 2, SiloStatus.Dead, proxyPort: 30002);
        await Insert(table, 3, SiloStatus.Active, proxyPort: 0);
        await using var provider = new ZooKeeperGatewayListProvider(
            Options.Create(new ZooKeeperGatewayListProviderOptions { ConnectionString = zk.ConnectionString + root }), cluster,
            Options.Create(new GatewayOptions { GatewayListRefreshPeriod = TimeSpan.FromSeconds(7) }),
            NullLogger<ZooKeeperGatewayListProvider>.Instance);
        await provider.InitializeGatewayListProvider();

        var gateways = await provider.GetGateways();

        Assert.Equal([SiloAddress.New(IPAddress.Loopback, 30001, 101).ToGatewayUri()], gateways);
        Assert.Equal(TimeSpan.FromSeconds(7), provider.MaxStaleness);
    }

    [Fact]
    public async Task A_cluster_that_was_never_started_has_no_gateways()
    {
        var root = await zk.NewRootAsync("gw");
        await using var provider = new ZooKeeperGatewayListProvider(
            Options.Create(new ZooKeeperGatewayListProviderOptions { ConnectionString = zk.ConnectionString + root }),
            Options.Create(new ClusterOptions { ClusterId = "never", ServiceId = "s" }),
            Options.Create(new GatewayOptions()), NullLogger<ZooKeeperGatewayListProvider>.Instance);
        await provider.InitializeGatewayListProvider();

        Assert.Empty(await provider.GetGateways());
        Assert.Null(await zk.Admin.ExistsAsync(root + "/never"));
    }

    private static async Task Insert(ZooKeeperMembershipTable table, int n, SiloStatus status, int proxyPort)
    {
        var entry = new MembershipEntry
        {
            SiloAddress = SiloAddress.New(IPAddress.Loopback, 11000 + n, 100 + n),
            Status = status,
            ProxyPort = proxyPort,
            HostName = "h",
            SiloName = "s" + n,
            StartTime = DateTime.UtcNow,
            IAmAliveTime = DateTime.UtcNow,
        };
        Assert.True(await table.InsertRow(entry, (await table.ReadAll()).Version.Next()));
    }
}
