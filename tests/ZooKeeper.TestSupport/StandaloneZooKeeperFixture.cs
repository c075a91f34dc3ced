using OrleansFs.ZooKeeper;
using OrleansFs.TestSupport;

namespace OrleansFs.Tests.Fixtures;

/// <summary>One real standalone ZooKeeper server shared by every test in the "standalone" collection.</summary>
public sealed class StandaloneZooKeeperFixture : IAsyncLifetime
{
    private ZooKeeperEnsemble? _server;

    public ZooKeeperEnsemble Server => _server ?? throw new InvalidOperationException("not started");

    public string ConnectionString => Server.ConnectionString;

    /// <summary>A session without chroot, for preparing roots and checking from outside a test's own session.</summary>
    public ZooKeeperClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _server = await ZooKeeperEnsemble.StartStandaloneAsync();
        Admin = await ConnectAsync();
    }

    public async Task DisposeAsync()
    {
        if (Admin is not null) await Admin.DisposeAsync();
        if (_server is not null) await _server.DisposeAsync();
    }

    /// <summary>Creates a new empty node at the top level and returns its path, to be used as a test's chroot.</summary>
    public Task<string> NewRootAsync(string prefix = "t") =>
        Admin.CreateAsync($"/{prefix}-{Guid.NewGuid():N}", ReadOnlyMemory<byte>.Empty);

    /// <summary>A session chrooted at a fresh root of its own.</summary>
    public async Task<(ZooKeeperClient Client, string Root)> ConnectToNewRootAsync(TimeSpan? sessionTimeout = null)
    {
        var root = await NewRootAsync();
        return (await ConnectAsync(root, sessionTimeout), root);
    }

    /// <summary>A fresh session; each test works under its own root node so tests never see each other's data.</summary>
    public Task<ZooKeeperClient> ConnectAsync(string? chroot = null, TimeSpan? sessionTimeout = null) =>
        ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
        {
            ConnectionString = ConnectionString + chroot,
            SessionTimeout = sessionTimeout ?? TimeSpan.FromSeconds(10),
        });
}
