using OrleansFs.ZooKeeper;
using OrleansFs.Tests.Fixtures;

namespace OrleansFs.Tests;

[Collection(EnsembleCollection.Name)]
public sealed class EnsembleTests(ZooKeeperEnsembleFixture zk) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Whatever a test killed comes back before the next test.</summary>
    public Task DisposeAsync() => zk.Ensemble.HealAsync();

    [Fact]
    public async Task The_session_resumes_on_another_member_after_its_server_is_killed_and_keeps_its_ephemeral()
    {
        await using var client = await zk.ConnectAsync(zk.Ensemble.ConnectionString, TimeSpan.FromSeconds(6));
        var path = await client.CreateAsync($"/resume-{Guid.NewGuid():N}", ReadOnlyMemory<byte>.Empty, CreateMode.Ephemeral);
        long session = client.SessionId;
        var first = client.ConnectedServer!.Value;

        zk.Ensemble.MemberOnPort(first.Port).Kill();
        await WaitUntil(() => Task.FromResult(client.State == ZooKeeperSessionState.Connected && client.ConnectedServer?.Port != first.Port));

        Assert.Equal(session, client.SessionId);
        Assert.Equal(session, (await client.ExistsAsync(path))!.Value.EphemeralOwner);
        await using var observer = await zk.ConnectAsync(zk.Ensemble.ConnectionString, TimeSpan.FromSeconds(6));
        await observer.SyncAsync(path);
        Assert.Equal(session, (await observer.ExistsAsync(path))!.Value.EphemeralOwner);
    }

    [Fact]
    public async Task Credentials_and_watches_move_with_the_session_to_another_member()
    {
        await using var client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
        {
            ConnectionString = zk.Ensemble.ConnectionString,
            SessionTimeout = TimeSpan.FromSeconds(6),
            Auth = [ZooKeeperAuth.Digest("ofs", "secret")],
        });
        var path = await client.CreateAsync($"/owned-{Guid.NewGuid():N}", new byte[] { 0 }, CreateMode.Persistent, ZooKeeperAcl.CreatorAllAcl);
        var changed = new TaskCompletionSource<WatchedEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        await client.GetDataAsync(path, e => changed.TrySetResult(e));
        var first = client.ConnectedServer!.Value;

        zk.Ensemble.MemberOnPort(first.Port).Kill();
        await WaitUntil(() => Task.FromResult(client.State == ZooKeeperSessionState.Connected && client.ConnectedServer?.Port != first.Port));
        // The identity lives on the server's connection: the new member knows it only if addauth was sent again.
        await client.SetDataAsync(path, new byte[] { 1 });

        Assert.Equal(WatchEventType.NodeDataChanged, (await changed.Task.WaitAsync(Wait)).Type);
        await using var stranger = await zk.ConnectAsync(zk.Ensemble.ConnectionString, TimeSpan.FromSeconds(6));
        Assert.Equal(ZooKeeperErrorCode.NoAuth, (await Assert.ThrowsAsync<ZooKeeperException>(() => stranger.SetDataAsync(path, new byte[] { 2 }))).Code);
        Assert.Equal([1], (await client.GetDataAsync(path)).Data);
        await client.DeleteAsync(path);
    }

    [Fact]
    public async Task Writes_fail_without_a_quorum_and_the_session_carries_on_when_it_returns()
    {
        await using var client = await zk.ConnectAsync(zk.Ensemble.ConnectionString, TimeSpan.FromSeconds(20));
        var path = await client.CreateAsync($"/quorum-{Guid.NewGuid():N}", ReadOnlyMemory<byte>.Empty, CreateMode.Ephemeral);
        long session = client.SessionId;
        var connected = client.ConnectedServer!.Value;

        foreach (var member in zk.Ensemble.Members.Where(m => m.ClientPort != connected.Port)) member.Kill();
        var error = await Assert.ThrowsAsync<ZooKeeperException>(() => client.SetDataAsync(path, new byte[] { 1 }));
        Assert.Equal(ZooKeeperErrorCode.ConnectionLoss, error.Code);
        Assert.Null(await zk.Ensemble.MemberOnPort(connected.Port).TryGetModeAsync());

        await zk.Ensemble.HealAsync();
        await WaitUntil(() => Task.FromResult(client.State == ZooKeeperSessionState.Connected));

        await client.SetDataAsync(path, new byte[] { 2 });
        Assert.Equal(session, client.SessionId);
        Assert.Equal(session, (await client.ExistsAsync(path))!.Value.EphemeralOwner);
    }

    private static async Task WaitUntil(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met in time");
            await Task.Delay(50);
        }
    }
}
