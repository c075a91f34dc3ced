using OrleansFs.Client;
using OrleansFs.TestSupport;

namespace OrleansFs.Tests.Failover;

/// <summary>One 3-silo cluster on a 3-member ZooKeeper ensemble, shared by the failover tests; each test restarts what it kills.</summary>
public sealed class FailoverClusterFixture : IAsyncLifetime
{
    public ClusterProcesses Cluster { get; private set; } = null!;
    public OrleansFsConnection Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await ClusterProcesses.StartAsync(silos: 3, zooKeeperMembers: 3);
        Client = await ConnectAsync();
    }

    public Task<OrleansFsConnection> ConnectAsync() => OrleansFsClient.ConnectAsync(new OrleansFsClientOptions
    {
        ZooKeeperConnectionString = Cluster.ZooKeeperConnectionString,
        ConnectTimeout = TimeSpan.FromSeconds(30),
    });

    public async Task DisposeAsync()
    {
        if (Client is not null) await Client.DisposeAsync();
        if (Cluster is not null) await Cluster.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class FailoverCollection : ICollectionFixture<FailoverClusterFixture>
{
    public const string Name = "failover cluster";
}
