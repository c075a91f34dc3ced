using OrleansFs.Client;
using OrleansFs.TestSupport;

namespace OrleansFs.Tests.Failover;

/// <summary>
/// The failover cluster of <see cref="FailoverClusterFixture"/> (3 silos, 3 ZooKeeper members) with its journal in a
/// real PostgreSQL 15 instead of the shared directory: `Journal:Kind=PostgreSql`, one fresh database.
/// </summary>
public sealed class PostgreSqlFailoverClusterFixture : IAsyncLifetime
{
    public PostgreSqlServer PostgreSql { get; private set; } = null!;
    public string JournalConnectionString { get; private set; } = null!;
    public ClusterProcesses Cluster { get; private set; } = null!;
    public OrleansFsConnection Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        PostgreSql = await PostgreSqlServer.StartAsync();
        JournalConnectionString = await PostgreSql.CreateDatabaseAsync();
        Cluster = await ClusterProcesses.StartAsync(silos: 3, zooKeeperMembers: 3, extraSiloArguments:
        [
            "--Journal:Kind=PostgreSql",
            $"--PostgreSql:ConnectionString={JournalConnectionString}",
        ]);
        Client = await OrleansFsClient.ConnectAsync(new OrleansFsClientOptions
        {
            ZooKeeperConnectionString = Cluster.ZooKeeperConnectionString,
            ConnectTimeout = TimeSpan.FromSeconds(30),
        });
    }

    public async Task DisposeAsync()
    {
        if (Client is not null) await Client.DisposeAsync();
        if (Cluster is not null) await Cluster.DisposeAsync();
        if (PostgreSql is not null) await PostgreSql.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PostgreSqlFailoverCollection : ICollectionFixture<PostgreSqlFailoverClusterFixture>
{
    public const string Name = "failover cluster on the PostgreSQL journal";
}
