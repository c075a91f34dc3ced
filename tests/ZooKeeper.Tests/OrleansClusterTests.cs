using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using OrleansFs.ZooKeeper;
using OrleansFs.TestSupport;
using OrleansFs.Tests.Fixtures;

namespace OrleansFs.Tests;

/// <summary>Real Orleans silo and client hosts (in this process) using the providers through UseZooKeeperClustering.</summary>
[Collection(StandaloneCollection.Name)]
public sealed class OrleansClusterTests(StandaloneZooKeeperFixture zk)
{
    [Fact]
    public async Task Two_silos_join_through_ZooKeeper_and_a_client_finds_them_as_gateways()
    {
        var chroot = $"/ofs-{Guid.NewGuid():N}";
        var connection = zk.ConnectionString + chroot;
        using var first = await StartSiloAsync(connection, "first");
        using var second = await StartSiloAsync(connection, "second");
        using var client = await StartClientAsync(connection);

        var management = client.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
        var hosts = await WaitForAsync(() => management.GetHosts(onlyActive: true), h => h.Count == 2);
        var rows = await zk.Admin.GetChildrenAsync(chroot + "/zk-test");

        Assert.All(hosts.Values, status => Assert.Equal(SiloStatus.Active, status));
        Assert.Equal(2, rows.Children.Count);
        Assert.Equal(hosts.Keys.Select(s => s.ToParsableString()).Order(), rows.Children.Order());

        await second.StopAsync();
        var left = await WaitForAsync(() => management.GetHosts(onlyActive: false), h => h.Values.Count(s => s == SiloStatus.Dead) == 1);
        Assert.Equal(1, left.Values.Count(s => s == SiloStatus.Active));
        await first.StopAsync();
    }

    private static async Task<IHost> StartSiloAsync(string connection, string name)
    {
        int siloPort = FreePort.Next(), gatewayPort = FreePort.Next();
        var host = Host.CreateDefaultBuilder()
            .ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .UseOrleans(silo => silo
                .UseZooKeeperClustering(o =>
                {
                    o.ConnectionString = connection;
                    o.SessionTimeout = TimeSpan.FromSeconds(10);
                })
                .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = ("zk-test", "zk-test"))
                .Configure<SiloOptions>(o => o.SiloName = name)
                .ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort))
            .Build();
        await host.StartAsync();
        return host;
    }

    private static async Task<IHost> StartClientAsync(string connection)
    {
        var host = Host.CreateDefaultBuilder()
            .ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .UseOrleansClient(client => client
                .UseZooKeeperClustering(o => o.ConnectionString = connection)
                .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = ("zk-test", "zk-test")))
            .Build();
        await host.StartAsync();
        return host;
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline) return value;
            await Task.Delay(200);
        }
    }
}
