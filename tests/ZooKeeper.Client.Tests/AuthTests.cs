using System.Text;
using OrleansFs.ZooKeeper;
using OrleansFs.Tests.Fixtures;

namespace OrleansFs.Tests;

/// <summary>addauth on a real server: refusals, and credentials surviving a reconnect.</summary>
[Collection(StandaloneCollection.Name)]
public sealed class AuthTests(StandaloneZooKeeperFixture zk)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private static ReadOnlyMemory<byte> Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task Credentials_are_sent_again_after_a_reconnect_so_the_creator_can_still_write()
    {
        var (client, root) = await zk.ConnectToNewRootAsync();
        await using var _c = client;
        await client.AddAuthAsync(ZooKeeperAuth.Digest("ofs", "secret"));
        await client.CreateAsync("/mine", Bytes("v0"), CreateMode.Persistent, ZooKeeperAcl.CreatorAllAcl);
        var reconnected = WhenStates(client, ZooKeeperSessionState.Disconnected, ZooKeeperSessionState.Connected);
        long session = client.SessionId;

        client.DropConnection();
        await reconnected.WaitAsync(Wait);
        // Identities belong to the TCP connection on the server; only a re-sent addauth lets these through.
        await client.SetDataAsync("/mine", Bytes("v1"));
        await client.CreateAsync("/mine/child", Bytes("c"), CreateMode.Persistent, ZooKeeperAcl.CreatorAllAcl);

        Assert.Equal(session, client.SessionId);
        Assert.Equal("v1", Encoding.UTF8.GetString((await client.GetDataAsync("/mine")).Data));
        await using var stranger = await zk.ConnectAsync(root);
        Assert.Equal(ZooKeeperErrorCode.NoAuth, (await Assert.ThrowsAsync<ZooKeeperException>(() => stranger.DeleteAsync("/mine/child"))).Code);
    }

    [Fact]
    public async Task Credentials_given_in_the_options_are_in_place_before_ConnectAsync_returns_and_after_reconnects()
    {
        var root = await zk.NewRootAsync();
        await using var client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
        {
            ConnectionString = zk.ConnectionString + root,
            Auth = [ZooKeeperAuth.Parse("digest:ofs:s3cr:et")],
        });

        await client.CreateAsync("/a", Bytes("x"), CreateMode.Persistent, ZooKeeperAcl.CreatorAllAcl);
        // The password is everything after the user's colon, colons included.
        Assert.Equal(ZooKeeperAcl.DigestId("ofs", "s3cr:et"), (await client.GetAclAsync("/a")).Acl.Single().Id);
        var reconnected = WhenStates(client, ZooKeeperSessionState.Disconnected, ZooKeeperSessionState.Connected);
        client.DropConnection();
        await reconnected.WaitAsync(Wait);
        await client.DeleteAsync("/a");

        Assert.Null(await client.ExistsAsync("/a"));
    }

    [Fact]
    public async Task Refused_credentials_throw_AuthFailed_and_leave_the_client_in_the_AuthFailed_state()
    {
        var (client, _) = await zk.ConnectToNewRootAsync();
        await using var _c = client;
        var failed = WhenStates(client, ZooKeeperSessionState.AuthFailed);

        // The server knows no such scheme: it answers AUTHFAILED and closes the connection.
        var error = await Assert.ThrowsAsync<ZooKeeperAuthFailedException>(() => client.AddAuthAsync("nosuchscheme", Bytes("x")));
        await failed.WaitAsync(Wait);
        var later = await Assert.ThrowsAsync<ZooKeeperAuthFailedException>(() => client.ExistsAsync("/"));

        Assert.Equal(ZooKeeperErrorCode.AuthFailed, error.Code);
        Assert.Equal("nosuchscheme", error.Scheme);
        Assert.Equal(ZooKeeperSessionState.AuthFailed, client.State);
        Assert.Equal(ZooKeeperErrorCode.AuthFailed, later.Code);
        Assert.Null(client.ConnectedServer);
    }

    [Fact]
    public async Task Refused_credentials_in_the_options_make_ConnectAsync_throw_AuthFailed_without_revealing_them()
    {
        var error = await Assert.ThrowsAsync<ZooKeeperAuthFailedException>(() => ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
        {
            ConnectionString = zk.ConnectionString,
            Auth = [ZooKeeperAuth.Digest("ofs", "secret"), new ZooKeeperAuth("nosuchscheme", Encoding.UTF8.GetBytes("hunter2"))],
        }));

        Assert.Equal(ZooKeeperErrorCode.AuthFailed, error.Code);
        Assert.Equal("nosuchscheme", error.Scheme);
        Assert.DoesNotContain("hunter2", error.ToString());
    }

    [Fact]
    public async Task Requests_pipelined_right_behind_addauth_already_carry_the_identity()
    {
        var (client, _) = await zk.ConnectToNewRootAsync();
        await using var _c = client;

        // Not awaited in between: the server applies auth as soon as it reads it, ahead of the create behind it.
        var auth = client.AddAuthAsync(ZooKeeperAuth.Digest("ofs", "secret"));
        var create = client.CreateAsync("/n", Bytes("x"), CreateMode.Persistent, ZooKeeperAcl.CreatorAllAcl);
        await Task.WhenAll(auth, create);

        Assert.Equal(ZooKeeperAcl.DigestId("ofs", "secret"), (await client.GetAclAsync("/n")).Acl.Single().Id);
    }

    [Theory]
    [InlineData("digest", "digest")]
    [InlineData("digest:", "digest:")]
    [InlineData(":user:pw9", "pw9")]
    [InlineData("digest:hunter2", "hunter2")]
    [InlineData("digest::hunter2", "hunter2")]
    public void Malformed_auth_text_is_refused_without_echoing_the_secret(string text, string secret)
    {
        var error = Assert.Throws<FormatException>(() => ZooKeeperAuth.Parse(text));

        Assert.Contains("digest:user:password", error.Message);
        if (secret != "digest" && secret != "digest:") Assert.DoesNotContain(secret, error.Message);
    }

    [Fact]
    public void Auth_text_keeps_the_password_out_of_ToString()
    {
        var auth = ZooKeeperAuth.Parse("digest:ofs:hunter2");

        Assert.Equal("digest", auth.Scheme);
        Assert.Equal("ofs:hunter2", Encoding.UTF8.GetString(auth.Data.Span));
        Assert.Equal("digest:***", auth.ToString());
    }

    /// <summary>Completes when the client has passed through these states in this order.</summary>
    private static Task WhenStates(ZooKeeperClient client, params ZooKeeperSessionState[] states)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int next = 0;
        client.StateChanged += state =>
        {
            if (next < states.Length && state == states[next] && ++next == states.Length) done.TrySetResult();
        };
        return done.Task;
    }
}
