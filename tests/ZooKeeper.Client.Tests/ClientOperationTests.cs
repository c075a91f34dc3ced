using System.Text;
using OrleansFs.ZooKeeper;
using OrleansFs.Tests.Fixtures;

namespace OrleansFs.Tests;

[Collection(StandaloneCollection.Name)]
public sealed class ClientOperationTests(StandaloneZooKeeperFixture zk)
{
    private static ReadOnlyMemory<byte> Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task Create_then_get_returns_the_data_and_a_fresh_stat()
    {
        var (client, _) = await zk.ConnectToNewRootAsync();
        await using var _c = client;

        var path = await client.CreateAsync("/a", Bytes("hello"));
        var node = await client.GetDataAsync("/a");

        Assert.Equal("/a", path);
        Assert.Equal("hello", Encoding.UTF8.GetString(node.Data));
        Assert.Equal(0, node.Stat.Version);
        Assert.Equal(5, node.Stat.DataLength);
        Assert.Equal(0, node.Stat.EphemeralOwner);
        Assert.True(node.Stat.CreatedZxid > 0);
    }

    [Fact]
    public async Task Create_of_an_existing_node_fails_with_NodeExists_and_keeps_the_data()
    {
        var (client, _) = await zk.ConnectToNewRootAsync();
        await using var _c = client;
        await client.CreateAsync("/a", Bytes("first"));

        var error = await Assert.ThrowsAsync<ZooKeeperException>(() => client.CreateAsync("/a", Bytes("second")));

        Assert.Equal(ZooKeeperErrorCode.NodeExists, error.Code);
        Assert.Equal("/a", error.Path);
        Assert.Equal("first", Encoding.UTF8.GetString((await client.GetDataAsync("/a")).Data));
    }

    [Fact]
    public async Task Operations_on_a_missing_node_fail_with_NoNode()
    {
        var (client, _) = await zk.ConnectToNewRootAsync();
        await using var _c = client;

        Assert.Equal(ZooKeeperErrorCode.NoNode, (await Assert.ThrowsAsync<ZooKeeperException>(() => client.GetDataAsync("/missing"))).Code);
        Assert.Equal(ZooKeeperErrorCode.NoNode, (await Assert.ThrowsAsync<ZooKeeperException>(() => client.SetDataAsync("/missing", Bytes("x")))).Code);
        Assert.Equal(ZooKeeperErrorCode.NoNode, (await Assert.ThrowsAsync<ZooKeeperException>(() => client.DeleteAsync("/missing"))).Code);
        Assert.Equal(ZooKeeperErrorCode.NoNode, (await Assert.ThrowsAsync<ZooKeeperException>(() => client.GetChildrenAsync("/missing"))).Code);
        Assert.Equal(ZooKeeperErrorCode.NoNode, (await Assert.ThrowsAsync<ZooKeeperException>(() => client.CreateAsync("/missing/child", Bytes("x")))).Code);
        Assert.Null(await client.ExistsAsync("/missing"));
    }

    [Fact]
    public async Task SetData_and_Delete_check_the_version_with_BadVersion()
    {
        var (client, _) = await zk.ConnectToNewRootAsync();
        await using var _c = client;
        await client.CreateAsync("/v", Bytes("0"));

        var stat = await client.SetDataAsync("/v", Bytes("1"), version: 0);
        var badSet = await Assert.ThrowsAsync<ZooKeeperException>(() => client.SetDataAsync("/v", Bytes("2"), version: 0));
        var badDelete = await Assert.ThrowsAsync<ZooKeeperException>(() => client.DeleteAsync("/v", version: 0));

        Assert.Equal(1, stat.Version);
        Assert.Equal(ZooKeeperErrorCode.BadVersion, badSet.Code);
        Assert.Equal(ZooKeeperErrorCode.BadVersion, badDelete.Code);
        Assert.Equal("1", Encoding.UTF8.GetString((await client.GetDataAsync("/v")).Data));
        await client.DeleteAsync("/v", version: 1);
        Assert.Null(await client.ExistsAsync("/v"));
    }

    [Fact]
    public async Task Delete_of_a_node_with_children_fails_with_NotEmpty()
    {
        var (client, _) = await zk.ConnectToNewRootAsync();
        await using var _c = client;
        await client.CreateAsync("/p", Bytes(""));
        await client.CreateAsync("/p/c", Bytes(""));

        var error = await Assert.ThrowsAsync<ZooKeeperException>(() => client.DeleteAsync("/p"));

        Assert.Equal(ZooKeeperErrorCode.NotEmpty, error.Code);
        Assert.NotNull(await client.ExistsAsync("/p/c"));
    }

    [Fact]
    public async Task An_ephemeral_node_cannot_have_children()
    {
        var (client, _) = await zk.ConnectToNewRootAsync();
        await using var _c = client;
        await client.CreateAsync("/e", Bytes(""), CreateMode.Ephemeral);

        var error = await Assert.ThrowsAsync<ZooKeeperException>(() => client.CreateAsync("/e/child", Bytes("")));

        Assert.Equal(ZooKeeperErrorCode.NoChildrenForEphemerals, error.Code);
        Assert.Equal(client.SessionId, (await client.ExistsAsync("/e"))!.Value.EphemeralOwner);
    }

    [Fact]
    public async Task Sequential_nodes_get_increasing_ten_digit_suffixes()
    {
        var (client, _) = await zk.ConnectToNewRootAsync();
        await using var _c = client;
        await client.CreateAsync("/q", Bytes(""));

        var first = await client.CreateAsync("/q/item-", Bytes("a"), CreateMode.PersistentSequential);
        var second = await client.CreateAsync("/q/item-", Bytes("b"), CreateMode.EphemeralSequential);

        Assert.Equal("/q/item-0000000000", first);
        Assert.Equal("/q/item-0000000001", second);
        Assert.Equal(["item-0000000000", "item-0000000001"], (await client.GetChildrenAsync("/q")).Children.Order());
    }

    [Fact]
    public async Task GetChildren_returns_the_names_and_the_parent_stat()
    {
        var (client, _) = await zk.ConnectToNewRootAsync();
        await using var _c = client;
        await client.CreateAsync("/d", Bytes("x"));
        foreach (var name in new[] { "a", "b", "c" }) await client.CreateAsync("/d/" + name, Bytes(""));
        await client.DeleteAsync("/d/b");

        var children = await client.GetChildrenAsync("/d");

        Assert.Equal(["a", "c"], children.Children.Order());
        Assert.Equal(2, children.Stat.NumChildren);
        Assert.Equal(4, children.Stat.ChildVersion);
        Assert.Equal(1, children.Stat.DataLength);
    }

    [Fact]
    public async Task Ephemeral_nodes_are_removed_when_the_session_closes()
    {
        var (client, root) = await zk.ConnectToNewRootAsync();
        await client.CreateAsync("/e", Bytes(""), CreateMode.Ephemeral);
        await client.CreateAsync("/p", Bytes(""), CreateMode.Persistent);
        Assert.NotNull(await zk.Admin.ExistsAsync(root + "/e"));

        await client.CloseAsync();

        Assert.Equal(ZooKeeperSessionState.Closed, client.State);
        Assert.Null(await zk.Admin.ExistsAsync(root + "/e"));
        Assert.NotNull(await zk.Admin.ExistsAsync(root + "/p"));
        var error = await Assert.ThrowsAsync<ZooKeeperException>(() => client.ExistsAsync("/p"));
        Assert.Equal(ZooKeeperErrorCode.ConnectionLoss, error.Code);
    }

    [Fact]
    public async Task Multi_applies_every_operation_and_returns_per_op_results()
    {
        var (client, _) = await zk.ConnectToNewRootAsync();
        await using var _c = client;
        await client.CreateAsync("/m", Bytes("v0"));
        await client.CreateAsync("/gone", Bytes(""));

        var results = await client.MultiAsync(
        [
            ZooKeeperOperation.Check("/m", 0),
            ZooKeeperOperation.SetData("/m", Bytes("v1"), 0),
            ZooKeeperOperation.Create("/m/child", Bytes("c")),
            ZooKeeperOperation.Create("/m/seq-", Bytes(""), CreateMode.PersistentSequential),
            ZooKeeperOperation.Delete("/gone"),
        ]);

        Assert.Equal(5, results.Count);
        Assert.All(results, r => Assert.Equal(ZooKeeperErrorCode.Ok, r.Error));
        Assert.Equal(1, results[1].Stat!.Value.Version);
        Assert.Equal("/m/child", results[2].Path);
        Assert.Equal("/m/seq-0000000001", results[3].Path);
        Assert.Equal("v1", Encoding.UTF8.GetString((await client.GetDataAsync("/m")).Data));
        Assert.Null(await client.ExistsAsync("/gone"));
    }

    [Fact]
    public async Task A_failed_multi_applies_nothing_and_names_the_failing_op()
    {
        var (client, _) = await zk.ConnectToNewRootAsync();
        await using var _c = client;
        await client.CreateAsync("/m", Bytes("v0"));

        var error = await Assert.ThrowsAsync<ZooKeeperMultiException>(() => client.MultiAsync(
        [
            ZooKeeperOperation.Create("/new", Bytes("")),
            ZooKeeperOperation.SetData("/m", Bytes("v1"), version: 7),
            ZooKeeperOperation.Create("/other", Bytes("")),
        ]));

        Assert.Equal(ZooKeeperErrorCode.BadVersion, error.Code);
        Assert.Equal(1, error.FailedIndex);
        Assert.Equal("/m", error.Path);
        Assert.Equal([ZooKeeperErrorCode.Ok, ZooKeeperErrorCode.BadVersion, ZooKeeperErrorCode.RuntimeInconsistency], error.Results.Select(r => r.Error));
        Assert.Null(await client.ExistsAsync("/new"));
        Assert.Null(await client.ExistsAsync("/other"));
        Assert.Equal(0, (await client.ExistsAsync("/m"))!.Value.Version);
    }

    [Fact]
    public async Task A_check_that_fails_aborts_the_multi()
    {
        var (client, _) = await zk.ConnectToNewRootAsync();
        await using var _c = client;
        await client.CreateAsync("/m", Bytes(""));

        var error = await Assert.ThrowsAsync<ZooKeeperMultiException>(() => client.MultiAsync(
            [ZooKeeperOperation.Check("/m", 3), ZooKeeperOperation.Create("/x", Bytes(""))]));
        var missing = await Assert.ThrowsAsync<ZooKeeperMultiException>(() => client.MultiAsync(
            [ZooKeeperOperation.Create("/y", Bytes("")), ZooKeeperOperation.Check("/nothing", 0)]));

        Assert.Equal(ZooKeeperErrorCode.BadVersion, error.Code);
        Assert.Equal(ZooKeeperErrorCode.NoNode, missing.Code);
        Assert.Null(await client.ExistsAsync("/x"));
        Assert.Null(await client.ExistsAsync("/y"));
    }

    [Fact]
    public async Task Chroot_maps_paths_both_ways_and_root_is_the_chroot()
    {
        var (client, root) = await zk.ConnectToNewRootAsync();
        await using var _c = client;

        var created = await client.CreateAsync("/x-", Bytes("in"), CreateMode.PersistentSequential);
        await client.SetDataAsync("/", Bytes("root data"));

        Assert.Equal("/x-0000000000", created);
        Assert.Equal("in", Encoding.UTF8.GetString((await zk.Admin.GetDataAsync(root + created)).Data));
        Assert.Equal("root data", Encoding.UTF8.GetString((await zk.Admin.GetDataAsync(root)).Data));
        Assert.Equal(["x-0000000000"], (await client.GetChildrenAsync("/")).Children);
    }

    [Fact]
    public async Task Container_nodes_and_sync_are_supported()
    {
        var (client, _) = await zk.ConnectToNewRootAsync();
        await using var _c = client;

        await client.CreateAsync("/box", Bytes(""), CreateMode.Container);
        await client.CreateAsync("/box/item", Bytes(""));
        await client.SyncAsync("/box");

        Assert.Equal(1, (await client.ExistsAsync("/box"))!.Value.NumChildren);
    }

    [Fact]
    public async Task Empty_and_large_data_round_trip()
    {
        var (client, _) = await zk.ConnectToNewRootAsync();
        await using var _c = client;
        var large = new byte[512 * 1024];
        Random.Shared.NextBytes(large);

        await client.CreateAsync("/empty", ReadOnlyMemory<byte>.Empty);
        await client.CreateAsync("/large", large);

        Assert.Empty((await client.GetDataAsync("/empty")).Data);
        Assert.Equal(large, (await client.GetDataAsync("/large")).Data);
    }

    [Fact]
    public async Task A_request_over_the_server_limit_fails_alone_and_the_session_carries_on()
    {
        var (client, _) = await zk.ConnectToNewRootAsync();
        await using var _c = client;

        var error = await Assert.ThrowsAsync<ZooKeeperException>(() => client.CreateAsync("/huge", new byte[1024 * 1024]));

        Assert.Equal(ZooKeeperErrorCode.BadArguments, error.Code);
        Assert.Equal("/huge", error.Path);
        await client.CreateAsync("/after", Bytes(""));
        Assert.Equal(ZooKeeperSessionState.Connected, client.State);
    }

    [Theory]
    [InlineData("relative")]
    [InlineData("/trailing/")]
    [InlineData("/double//slash")]
    [InlineData("/dot/./x")]
    [InlineData("/dotdot/..")]
    [InlineData("/nul\0x")]
    [InlineData("/ctl\u0001x")]
    [InlineData("")]
    public async Task Invalid_paths_are_rejected_before_anything_is_sent(string path)
    {
        var (client, _) = await zk.ConnectToNewRootAsync();
        await using var _c = client;

        var error = await Assert.ThrowsAsync<ZooKeeperException>(() => client.CreateAsync(path, Bytes("x")));

        Assert.Equal(ZooKeeperErrorCode.BadArguments, error.Code);
        Assert.Equal(path, error.Path);
        Assert.Empty((await client.GetChildrenAsync("/")).Children);
    }

    [Fact]
    public async Task A_cancelled_request_throws_and_the_connection_stays_usable()
    {
        var (client, _) = await zk.ConnectToNewRootAsync();
        await using var _c = client;
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.CreateAsync("/c", Bytes(""), ct: cancelled.Token));

        Assert.Null(await client.ExistsAsync("/c"));
        await client.CreateAsync("/c", Bytes(""));
    }
}
