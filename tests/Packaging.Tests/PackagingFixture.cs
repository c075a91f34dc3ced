using OrleansFs.TestSupport;

namespace OrleansFs.Tests.Packaging;

/// <summary>
/// The packages (<see cref="LocalPackages"/>) and a cluster of two real silos with ZooKeeper membership, made
/// together once for every packaging test.
/// </summary>
public sealed class PackagingFixture : IAsyncLifetime
{
    private LocalPackages? _packages;
    private ClusterProcesses? _cluster;

    public LocalPackages Packages => _packages ?? throw new InvalidOperationException("not started");
    public ClusterProcesses Cluster => _cluster ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        var packing = LocalPackages.PackAsync();
        var starting = ClusterProcesses.StartAsync(silos: 2, zooKeeperMembers: 1);
        try
        {
            await Task.WhenAll(packing, starting);
        }
        catch
        {
            // xunit does not dispose a fixture whose start failed: release whichever half did start.
            if (packing.IsCompletedSuccessfully) packing.Result.Dispose();
            if (starting.IsCompletedSuccessfully) await starting.Result.DisposeAsync();
            throw;
        }
        _packages = packing.Result;
        _cluster = starting.Result;
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
        _packages?.Dispose();
    }
}
