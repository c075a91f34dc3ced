using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using OrleansFs.Clustering.ZooKeeper;
using OrleansFs.Tests.Fixtures;

namespace OrleansFs.Tests;

/// <summary>A client hears of a silo declared Dead from a ZooKeeper watch, long before its periodic re-read.</summary>
[Collection(StandaloneCollection.Name)]
public sealed class SiloDeathWatchTests(StandaloneZooKeeperFixture zk)
{
    private static readonly TimeSpan RarePoll = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_silo_declared_dead_is_reported_at_once_with_its_gateway_and_only_once()
    {
        var (table, provider) = await StartAsync();
        await using var _ = table;
        await using var __ = provider;
        var active = await Insert(table, 1, SiloStatus.Active, proxyPort: 30001);
        await Insert(table, 2, SiloStatus.Active, proxyPort: 0);
        var deaths = new BlockingCollection<SiloDeath>();
        using var stop = new CancellationTokenSource();
        var watch = Task.Run(() => provider.WatchDeathsAsync(deaths.Add, stop.Token));
        await Task.Delay(500); // the first read: nothing has died yet

        var clock = Stopwatch.StartNew();
        await Update(table, active, SiloStatus.Dead);
        Assert.True(deaths.TryTake(out var death, TimeSpan.FromSeconds(10)), "no death reported");
        var heard = clock.Elapsed;

        Assert.Equal(active.SiloAddress, death.Silo);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 30001), death.Gateway);
        // Well inside the minute-long poll: the watch, not the re-read.
        Assert.True(heard < TimeSpan.FromSeconds(5), $"heard after {heard}");
        // Another write to the table does not report the same death again.
        await Insert(table, 3, SiloStatus.Active, proxyPort: 30003);
        Assert.False(deaths.TryTake(out var again, TimeSpan.FromSeconds(1)), $"reported again: {again}");
        stop.Cancel();
        await watch;
    }

    [Fact]
    public void Only_a_change_to_dead_counts_not_a_row_first_seen_dead_or_a_silo_that_left()
    {
        var a = SiloAddress.New(IPAddress.Loopback, 11001, 1);
        var b = SiloAddress.New(IPAddress.Loopback, 11002, 2);
        var c = SiloAddress.New(IPAddress.Loopback, 11003, 3);
        var before = new Dictionary<SiloAddress, SiloStatus> { [a] = SiloStatus.ShuttingDown, [b] = SiloStatus.Dead };
        MembershipEntry[] now =
        [
            new() { SiloAddress = a, Status = SiloStatus.Dead, ProxyPort = 0 },
            new() { SiloAddress = b, Status = SiloStatus.Dead, ProxyPort = 30002 },
            new() { SiloAddress = c, Status = SiloStatus.Dead, ProxyPort = 30003 },
        ];

        var death = Assert.Single(ZooKeeperSiloDeathWatch.NewlyDead(before, now));
        Assert.Equal(new SiloDeath(a, null), death);
    }

    private async Task<(ZooKeeperMembershipTable, ZooKeeperGatewayListProvider)> StartAsync()
    {
        var root = await zk.NewRootAsync("death");
        var cluster = Options.Create(new ClusterOptions { ClusterId = "c1", ServiceId = "s" });
        var table = new ZooKeeperMembershipTable(
            Options.Create(new ZooKeeperClusteringSiloOptions { ConnectionString = zk.ConnectionString + root }), cluster,
            NullLogger<ZooKeeperMembershipTable>.Instance);
        await table.InitializeMembershipTable(true);
        var provider = new ZooKeeperGatewayListProvider(
            Options.Create(new ZooKeeperGatewayListProviderOptions { ConnectionString = zk.ConnectionString + root }), cluster,
            Options.Create(new GatewayOptions { GatewayListRefreshPeriod = RarePoll }), NullLogger<ZooKeeperGatewayListProvider>.Instance);
        await provider.InitializeGatewayListProvider();
        return (table, provider);
    }

    private static async Task<MembershipEntry> Insert(ZooKeeperMembershipTable table, int n, SiloStatus status, int proxyPort)
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
        return entry;
    }

    private static async Task Update(ZooKeeperMembershipTable table, MembershipEntry entry, SiloStatus status)
    {
        var read = await table.ReadAll();
        var etag = read.Members.Single(m => m.Item1.SiloAddress.Equals(entry.SiloAddress)).Item2;
        entry.Status = status;
        Assert.True(await table.UpdateRow(entry, etag, read.Version.Next()));
    }
}
