using OrleansFs.ZooKeeper;
using OrleansFs.TestSupport;

namespace OrleansFs.Tests.Fixtures;

/// <summary>One real 3-member ZooKeeper ensemble shared by the "ensemble" collection. Tests that kill members heal it.</summary>
public sealed class ZooKeeperEnsembleFixture : IAsyncLifetime
{
    private ZooKeeperEnsemble? _ensemble;

    public ZooKeeperEnsemble Ensemble => _ensemble ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _ensemble = await ZooKeeperEnsemble.StartAsync(3);

    public async Task DisposeAsync()
    {
        if (_ensemble is not null) await _ensemble.DisposeAsync();
    }

    public Task<ZooKeeperClient> ConnectAsync(string connectionString, TimeSpan sessionTimeout) =>
        ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectionString = connectionString, SessionTimeout = sessionTimeout });
}
