using OrleansFs.ZooKeeper;
using OrleansFs.Tests.Fixtures;

namespace OrleansFs.Tests;

[Collection(StandaloneCollection.Name)]
public sealed class SessionTests(StandaloneZooKeeperFixture zk)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task The_negotiated_timeout_is_the_servers_clamp_of_the_request()
    {
        await using var small = await zk.ConnectAsync(sessionTimeout: TimeSpan.FromMilliseconds(100));
        await using var large = await zk.ConnectAsync(sessionTimeout: TimeSpan.FromHours(1));

        Assert.Equal(TimeSpan.FromSeconds(1), small.SessionTimeout);   // minSessionTimeout of the test server
        Assert.Equal(TimeSpan.FromSeconds(30), large.SessionTimeout);  // maxSessionTimeout
        Assert.NotEqual(small.SessionId, large.SessionId);
    }

    [Fact]
    public async Task A_partitioned_client_sees_its_session_expire_and_its_ephemerals_are_gone()
    {
        var root = await zk.NewRootAsync();
        await using var proxy = new TcpProxy(zk.Server.Members[0].ClientPort);
        var states = new List<ZooKeeperSessionState>();
        var expired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
        {
            ConnectionString = $"127.0.0.1:{proxy.Port}{root}",
            SessionTimeout = TimeSpan.FromSeconds(1),
        });
        client.StateChanged += s =>
        {
            lock (states) states.Add(s);
            if (s == ZooKeeperSessionState.Expired) expired.TrySetResult();
        };
        await client.CreateAsync("/mine", ReadOnlyMemory<byte>.Empty, CreateMode.Ephemeral);

        proxy.Blackhole();
        await WaitUntil(async () => await zk.Admin.ExistsAsync(root + "/mine") is null);
        proxy.Heal();
        await expired.Task.WaitAsync(Wait);

        Assert.Equal(ZooKeeperSessionState.Expired, client.State);
        lock (states) Assert.Equal([ZooKeeperSessionState.Disconnected, ZooKeeperSessionState.Expired], states);
        var error = await Assert.ThrowsAsync<ZooKeeperException>(() => client.ExistsAsync("/mine"));
        Assert.Equal(ZooKeeperErrorCode.SessionExpired, error.Code);

        // The owner builds a new session and carries on.
        await using var fresh = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectionString = $"127.0.0.1:{proxy.Port}{root}" });
        Assert.NotEqual(client.SessionId, fresh.SessionId);
        await fresh.CreateAsync("/mine", ReadOnlyMemory<byte>.Empty, CreateMode.Ephemeral);
    }

    [Fact]
    public async Task Requests_made_while_partitioned_fail_with_ConnectionLoss_and_the_session_resumes_after()
    {
        var root = await zk.NewRootAsync();
        await using var proxy = new TcpProxy(zk.Server.Members[0].ClientPort);
        await using var client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
        {
            ConnectionString = $"127.0.0.1:{proxy.Port}{root}",
            SessionTimeout = TimeSpan.FromSeconds(6),
        });
        await client.CreateAsync("/mine", ReadOnlyMemory<byte>.Empty, CreateMode.Ephemeral);
        long session = client.SessionId;

        proxy.Blackhole();
        var error = await Assert.ThrowsAsync<ZooKeeperException>(() => client.CreateAsync("/during", ReadOnlyMemory<byte>.Empty));
        proxy.Heal();
        await WaitUntil(() => Task.FromResult(client.State == ZooKeeperSessionState.Connected));

        Assert.Equal(ZooKeeperErrorCode.ConnectionLoss, error.Code);
        Assert.Equal(session, client.SessionId);
        Assert.Equal(session, (await client.ExistsAsync("/mine"))!.Value.EphemeralOwner);
    }

    [Fact]
    public async Task A_session_can_be_resumed_by_id_and_password_and_closing_it_expires_the_first_holder()
    {
        var (first, root) = await zk.ConnectToNewRootAsync();
        await using var _f = first;
        var expired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        first.StateChanged += s => { if (s == ZooKeeperSessionState.Expired) expired.TrySetResult(); };
        await first.CreateAsync("/e", ReadOnlyMemory<byte>.Empty, CreateMode.Ephemeral);

        var second = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
        {
            ConnectionString = zk.ConnectionString + root,
            SessionId = first.SessionId,
            SessionPassword = first.SessionPassword,
        });
        Assert.Equal(first.SessionId, second.SessionId);
        Assert.Equal(first.SessionId, (await second.ExistsAsync("/e"))!.Value.EphemeralOwner);
        await second.CloseAsync();

        await expired.Task.WaitAsync(Wait);
        Assert.Null(await zk.Admin.ExistsAsync(root + "/e"));
    }

    [Fact]
    public async Task Resuming_with_a_wrong_password_is_refused_as_expired()
    {
        await using var owner = await zk.ConnectAsync();

        var error = await Assert.ThrowsAsync<ZooKeeperException>(() => ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
        {
            ConnectionString = zk.ConnectionString,
            SessionId = owner.SessionId,
            SessionPassword = new byte[16],
        }));

        Assert.Equal(ZooKeeperErrorCode.SessionExpired, error.Code);
        // The server may drop the owner's connection when another one names its session; the owner reconnects with
        // the right password and keeps its session, so a sync succeeds again, at once or after that reconnect.
        long session = owner.SessionId;
        await WaitUntil(async () => await TrySyncAsync(owner));
        Assert.Equal(session, owner.SessionId);
        Assert.Equal(ZooKeeperSessionState.Connected, owner.State);
    }

    private static async Task<bool> TrySyncAsync(ZooKeeperClient client)
    {
        try
        {
            await client.SyncAsync();
            return true;
        }
        catch (ZooKeeperException e) when (e.Code == ZooKeeperErrorCode.ConnectionLoss)
        {
            return false;
        }
    }

    [Fact]
    public async Task Connecting_to_no_live_server_fails_with_ConnectionLoss_naming_the_hosts()
    {
        int deadPort = OrleansFs.TestSupport.FreePort.Next();

        var error = await Assert.ThrowsAsync<ZooKeeperException>(() => ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
        {
            ConnectionString = $"127.0.0.1:{deadPort}",
            ConnectTimeout = TimeSpan.FromSeconds(1),
        }));

        Assert.Equal(ZooKeeperErrorCode.ConnectionLoss, error.Code);
        Assert.Contains(deadPort.ToString(), error.Message);
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
