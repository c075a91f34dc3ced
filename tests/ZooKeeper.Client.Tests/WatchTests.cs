using System.Text;
using OrleansFs.ZooKeeper;
using OrleansFs.Tests.Fixtures;

namespace OrleansFs.Tests;

[Collection(StandaloneCollection.Name)]
public sealed class WatchTests(StandaloneZooKeeperFixture zk)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static ReadOnlyMemory<byte> Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task A_data_watch_fires_once_with_the_callers_path()
    {
        var (client, root) = await zk.ConnectToNewRootAsync();
        await using var _c = client;
        await client.CreateAsync("/w", Bytes("0"));
        var events = new List<WatchedEvent>();
        var fired = new TaskCompletionSource<WatchedEvent>(TaskCreationOptions.RunContinuationsAsynchronously);

        await client.GetDataAsync("/w", e => { lock (events) events.Add(e); fired.TrySetResult(e); });
        await zk.Admin.SetDataAsync(root + "/w", Bytes("1"));
        var first = await fired.Task.WaitAsync(Wait);
        await zk.Admin.SetDataAsync(root + "/w", Bytes("2"));
        await client.SyncAsync("/w");
        await client.GetDataAsync("/w"); // a round trip after the second change: its event would have come first

        Assert.Equal(new WatchedEvent(WatchEventType.NodeDataChanged, "/w"), first);
        lock (events) Assert.Single(events);
    }

    [Fact]
    public async Task An_exists_watch_on_a_missing_node_fires_when_it_is_created()
    {
        var (client, root) = await zk.ConnectToNewRootAsync();
        await using var _c = client;
        var fired = new TaskCompletionSource<WatchedEvent>(TaskCreationOptions.RunContinuationsAsynchronously);

        Assert.Null(await client.ExistsAsync("/later", e => fired.TrySetResult(e)));
        await zk.Admin.CreateAsync(root + "/later", Bytes(""));

        Assert.Equal(new WatchedEvent(WatchEventType.NodeCreated, "/later"), await fired.Task.WaitAsync(Wait));
    }

    [Fact]
    public async Task A_child_watch_fires_on_a_new_child_and_a_data_watch_on_delete()
    {
        var (client, root) = await zk.ConnectToNewRootAsync();
        await using var _c = client;
        await client.CreateAsync("/parent", Bytes(""));
        await client.CreateAsync("/doomed", Bytes(""));
        var children = new TaskCompletionSource<WatchedEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        var deleted = new TaskCompletionSource<WatchedEvent>(TaskCreationOptions.RunContinuationsAsynchronously);

        await client.GetChildrenAsync("/parent", e => children.TrySetResult(e));
        await client.ExistsAsync("/doomed", e => deleted.TrySetResult(e));
        await zk.Admin.CreateAsync(root + "/parent/kid", Bytes(""));
        await zk.Admin.DeleteAsync(root + "/doomed");

        Assert.Equal(new WatchedEvent(WatchEventType.NodeChildrenChanged, "/parent"), await children.Task.WaitAsync(Wait));
        Assert.Equal(new WatchedEvent(WatchEventType.NodeDeleted, "/doomed"), await deleted.Task.WaitAsync(Wait));
    }

    [Fact]
    public async Task A_notification_sent_before_the_reply_is_delivered_before_the_reply()
    {
        // The server sends the watch event for this client's own setData before the setData reply.
        var (client, _) = await zk.ConnectToNewRootAsync();
        await using var _c = client;
        await client.CreateAsync("/n", Bytes("0"));
        Task? write = null;
        bool? replySeenFirst = null;
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await client.GetDataAsync("/n", _ =>
        {
            replySeenFirst = Volatile.Read(ref write)?.IsCompleted ?? false;
            fired.TrySetResult();
        });
        Volatile.Write(ref write, client.SetDataAsync("/n", Bytes("1")));
        await write!;

        Assert.True(fired.Task.IsCompleted, "the watch event must be handed out before the reply it preceded");
        Assert.False(replySeenFirst);
    }

    [Fact]
    public async Task Watches_are_rearmed_after_a_reconnect_and_see_changes_made_meanwhile()
    {
        var (client, root) = await zk.ConnectToNewRootAsync();
        await using var _c = client;
        await client.CreateAsync("/r", Bytes("0"));
        var fired = new TaskCompletionSource<WatchedEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        var states = new List<ZooKeeperSessionState>();
        client.StateChanged += s => { lock (states) states.Add(s); };
        long session = client.SessionId;
        await client.GetDataAsync("/r", e => fired.TrySetResult(e));

        client.DropConnection();
        await zk.Admin.SetDataAsync(root + "/r", Bytes("changed while away"));

        Assert.Equal(new WatchedEvent(WatchEventType.NodeDataChanged, "/r"), await fired.Task.WaitAsync(Wait));
        Assert.Equal(session, client.SessionId);
        await client.SyncAsync();
        lock (states) Assert.Equal([ZooKeeperSessionState.Disconnected, ZooKeeperSessionState.Connected], states);
    }
}
