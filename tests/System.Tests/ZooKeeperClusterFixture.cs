using OrleansFs.TestSupport;

namespace OrleansFs.Tests;

/// <summary>
/// A 3-member ZooKeeper ensemble and three real silo processes that find each other through it
/// (<c>--Cluster:Membership=ZooKeeper</c>), sharing one journal and under-storage directory as a real deployment does.
/// </summary>
public sealed class ZooKeeperClusterFixture : IAsyncLifetime
{
    private readonly TempDirectory _shared = new("ofs-zk-cluster");
    private ZooKeeperEnsemble? _zooKeeper;

    public ZooKeeperEnsemble ZooKeeper => _zooKeeper ?? throw new InvalidOperationException("not started");

    public const string Chroot = "/orleansfs/test";

    /// <summary>What a user passes to <c>ofs --zookeeper</c> and to the silos.</summary>
    public string ConnectionString => ZooKeeper.ConnectionString + Chroot;

    public List<SiloProcess> Silos { get; } = [];

    public async Task InitializeAsync()
    {
        try
        {
            _zooKeeper = await ZooKeeperEnsemble.StartAsync(3);
            // The first silo creates the table and the master; the others then join in parallel.
            Silos.Add(await StartSiloAsync());
            Silos.AddRange(await Task.WhenAll(StartSiloAsync(), StartSiloAsync()));
        }
        catch
        {
            // xunit does not dispose a fixture whose start failed: stop what did start.
            await DisposeAsync();
            throw;
        }
    }

    public Task<SiloProcess> StartSiloAsync() => SiloProcess.StartAsync(
    [
        "--Cluster:Membership=ZooKeeper",
        $"--ZooKeeper:ConnectionString={ConnectionString}",
        $"--Journal:Directory={_shared.Combine("journal")}",
        $"--UnderStorage:Directory={_shared.Combine("ufs")}",
    ]);

    public async Task DisposeAsync()
    {
        foreach (var silo in Silos) await silo.DisposeAsync();
        if (_zooKeeper is not null) await _zooKeeper.DisposeAsync();
        _shared.Dispose();
    }
}
