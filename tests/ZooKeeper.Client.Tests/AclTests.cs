using System.Text;
using OrleansFs.ZooKeeper;
using OrleansFs.Tests.Fixtures;

namespace OrleansFs.Tests;

/// <summary>ACLs on a real server: who may read, write, delete and change the ACL of a node.</summary>
[Collection(StandaloneCollection.Name)]
public sealed class AclTests(StandaloneZooKeeperFixture zk)
{
    private static ReadOnlyMemory<byte> Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task A_creator_all_node_belongs_to_the_digest_identity_and_refuses_everyone_else()
    {
        var (owner, root) = await zk.ConnectToNewRootAsync();
        await using var _o = owner;
        await owner.AddAuthAsync(ZooKeeperAuth.Digest("ofs", "secret"));
        await owner.CreateAsync("/locked", Bytes("v0"), CreateMode.Persistent, ZooKeeperAcl.CreatorAllAcl);
        await owner.CreateAsync("/locked/child", Bytes("c"), CreateMode.Persistent, ZooKeeperAcl.CreatorAllAcl);
        await using var stranger = await zk.ConnectAsync(root);

        var acl = await owner.GetAclAsync("/locked");
        var setData = await Assert.ThrowsAsync<ZooKeeperException>(() => stranger.SetDataAsync("/locked", Bytes("evil")));
        // DELETE is checked on the parent: a locked node's children are safe, the node itself only if its parent is locked too.
        var delete = await Assert.ThrowsAsync<ZooKeeperException>(() => stranger.DeleteAsync("/locked/child"));
        var create = await Assert.ThrowsAsync<ZooKeeperException>(() => stranger.CreateAsync("/locked/fake", Bytes("x")));
        var read = await Assert.ThrowsAsync<ZooKeeperException>(() => stranger.GetDataAsync("/locked"));
        var setAcl = await Assert.ThrowsAsync<ZooKeeperException>(() => stranger.SetAclAsync("/locked", ZooKeeperAcl.OpenAclUnsafe));

        // The server stores the identity, never the password: digest:ofs:Base64(SHA-1("ofs:secret")).
        Assert.Equal([new ZooKeeperAcl(ZooKeeperPermissions.All, "digest", ZooKeeperAcl.DigestId("ofs", "secret"))], acl.Acl);
        Assert.Equal(ZooKeeperErrorCode.NoAuth, setData.Code);
        Assert.Equal("/locked", setData.Path);
        Assert.Equal(ZooKeeperErrorCode.NoAuth, delete.Code);
        Assert.Equal(ZooKeeperErrorCode.NoAuth, create.Code);
        Assert.Equal(ZooKeeperErrorCode.NoAuth, read.Code);
        Assert.Equal(ZooKeeperErrorCode.NoAuth, setAcl.Code);
        Assert.NotNull(await stranger.ExistsAsync("/locked")); // exists is never ACL-checked
        var node = await owner.GetDataAsync("/locked");
        Assert.Equal("v0", Encoding.UTF8.GetString(node.Data));
        Assert.Equal(0, node.Stat.Version);
        Assert.Equal(["child"], (await owner.GetChildrenAsync("/locked")).Children);
        await owner.SetDataAsync("/locked", Bytes("v1"));
        await owner.DeleteAsync("/locked/child");
    }

    [Fact]
    public async Task A_world_readable_creator_node_can_be_read_but_not_changed_by_a_client_without_credentials()
    {
        var (owner, root) = await zk.ConnectToNewRootAsync();
        await using var _o = owner;
        await owner.AddAuthAsync(ZooKeeperAuth.Digest("ofs", "secret"));
        await owner.CreateAsync("/shared", Bytes("gateways"), CreateMode.Persistent, ZooKeeperAcl.CreatorAllWorldReadAcl);
        await owner.CreateAsync("/shared/child", Bytes("c"), CreateMode.Persistent, ZooKeeperAcl.CreatorAllWorldReadAcl);
        await using var reader = await zk.ConnectAsync(root);

        Assert.Equal("gateways", Encoding.UTF8.GetString((await reader.GetDataAsync("/shared")).Data));
        Assert.Equal(["child"], (await reader.GetChildrenAsync("/shared")).Children);
        Assert.Equal(ZooKeeperErrorCode.NoAuth, (await Assert.ThrowsAsync<ZooKeeperException>(() => reader.SetDataAsync("/shared", Bytes("x")))).Code);
        Assert.Equal(ZooKeeperErrorCode.NoAuth, (await Assert.ThrowsAsync<ZooKeeperException>(() => reader.DeleteAsync("/shared/child"))).Code);
        Assert.Equal(ZooKeeperErrorCode.NoAuth, (await Assert.ThrowsAsync<ZooKeeperException>(() => reader.CreateAsync("/shared/fake", Bytes("x")))).Code);
        Assert.Equal("gateways", Encoding.UTF8.GetString((await owner.GetDataAsync("/shared")).Data));
        Assert.Equal(["child"], (await owner.GetChildrenAsync("/shared")).Children);
    }

    [Fact]
    public async Task Creator_all_without_credentials_is_refused_with_InvalidAcl_and_nothing_is_created()
    {
        var (client, _) = await zk.ConnectToNewRootAsync();
        await using var _c = client;

        var error = await Assert.ThrowsAsync<ZooKeeperException>(() => client.CreateAsync("/n", Bytes("x"), CreateMode.Persistent, ZooKeeperAcl.CreatorAllAcl));

        Assert.Equal(ZooKeeperErrorCode.InvalidAcl, error.Code);
        Assert.Null(await client.ExistsAsync("/n"));
    }

    [Fact]
    public async Task An_empty_acl_is_refused_before_anything_is_sent()
    {
        var (client, _) = await zk.ConnectToNewRootAsync();
        await using var _c = client;
        await client.CreateAsync("/existing", Bytes("x"));

        var create = await Assert.ThrowsAsync<ArgumentException>(() => client.CreateAsync("/n", Bytes("x"), CreateMode.Persistent, []));
        var setAcl = await Assert.ThrowsAsync<ArgumentException>(() => client.SetAclAsync("/existing", []));
        var multi = Assert.Throws<ArgumentException>(() => ZooKeeperOperation.Create("/m", Bytes("x"), acl: []));

        Assert.Equal("acl", create.ParamName);
        Assert.Contains("at least one entry", create.Message);
        Assert.Equal("acl", setAcl.ParamName);
        Assert.Equal("acl", multi.ParamName);
        Assert.Null(await client.ExistsAsync("/n"));
        var acl = await client.GetAclAsync("/existing");
        Assert.Equal(ZooKeeperAcl.OpenAclUnsafe, acl.Acl);
        Assert.Equal(0, acl.Stat.AclVersion);
    }

    [Fact]
    public async Task The_default_acl_is_open_and_SetAcl_checks_the_acl_version()
    {
        var (client, _) = await zk.ConnectToNewRootAsync();
        await using var _c = client;
        await client.CreateAsync("/n", Bytes("x"));
        var before = await client.GetAclAsync("/n");

        var readAndAdmin = new ZooKeeperAcl(ZooKeeperPermissions.Read | ZooKeeperPermissions.Admin, "world", "anyone");
        var stat = await client.SetAclAsync("/n", [readAndAdmin], aclVersion: 0);
        var stale = await Assert.ThrowsAsync<ZooKeeperException>(() => client.SetAclAsync("/n", ZooKeeperAcl.OpenAclUnsafe, aclVersion: 0));
        var after = await client.GetAclAsync("/n");
        var write = await Assert.ThrowsAsync<ZooKeeperException>(() => client.SetDataAsync("/n", Bytes("y")));
        var missing = await Assert.ThrowsAsync<ZooKeeperException>(() => client.GetAclAsync("/missing"));

        Assert.Equal([new ZooKeeperAcl(ZooKeeperPermissions.All, "world", "anyone")], before.Acl);
        Assert.Equal(1, stat.AclVersion);
        Assert.Equal(ZooKeeperErrorCode.BadVersion, stale.Code);
        Assert.Equal([readAndAdmin], after.Acl);
        Assert.Equal(1, after.Stat.AclVersion);
        Assert.Equal(0, after.Stat.Version); // an ACL change does not move the data version
        Assert.Equal(ZooKeeperErrorCode.NoAuth, write.Code); // read-only for everyone now, the creator included
        Assert.Equal(ZooKeeperErrorCode.NoNode, missing.Code);
        await client.SetAclAsync("/n", ZooKeeperAcl.ReadAclUnsafe, aclVersion: 1);
        var noAdmin = await Assert.ThrowsAsync<ZooKeeperException>(() => client.SetAclAsync("/n", ZooKeeperAcl.OpenAclUnsafe));
        Assert.Equal(ZooKeeperErrorCode.NoAuth, noAdmin.Code); // without ADMIN nobody can change it back
    }

    [Fact]
    public async Task A_digest_acl_entry_made_from_the_password_admits_the_client_that_authenticates_with_it()
    {
        var (admin, root) = await zk.ConnectToNewRootAsync();
        await using var _a = admin;
        // No credentials needed to name an identity in an ACL; the hash must equal the server's for auth to match.
        await admin.CreateAsync("/for-alice", Bytes("x"), CreateMode.Persistent,
            [ZooKeeperAcl.Digest(ZooKeeperPermissions.All, "alice", "wonder"), new ZooKeeperAcl(ZooKeeperPermissions.Read, "world", "anyone")]);
        await using var alice = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
        {
            ConnectionString = zk.ConnectionString + root,
            Auth = [ZooKeeperAuth.Digest("alice", "wonder")],
        });
        await using var mallory = await zk.ConnectAsync(root);
        await mallory.AddAuthAsync(ZooKeeperAuth.Digest("alice", "guess"));

        await alice.SetDataAsync("/for-alice", Bytes("alice"));
        var wrongPassword = await Assert.ThrowsAsync<ZooKeeperException>(() => mallory.SetDataAsync("/for-alice", Bytes("mallory")));

        Assert.Equal(ZooKeeperErrorCode.NoAuth, wrongPassword.Code);
        Assert.Equal("alice", Encoding.UTF8.GetString((await mallory.GetDataAsync("/for-alice")).Data));
    }

    [Fact]
    public async Task Creates_inside_a_multi_carry_their_acl()
    {
        var (owner, root) = await zk.ConnectToNewRootAsync();
        await using var _o = owner;
        await owner.AddAuthAsync(ZooKeeperAuth.Digest("ofs", "secret"));
        await using var stranger = await zk.ConnectAsync(root);

        await owner.MultiAsync(
        [
            ZooKeeperOperation.Create("/row", Bytes("r"), acl: ZooKeeperAcl.CreatorAllWorldReadAcl),
            ZooKeeperOperation.Create("/row/alive", Bytes("a"), acl: ZooKeeperAcl.CreatorAllAcl),
            ZooKeeperOperation.Create("/open", Bytes("o")),
        ]);

        Assert.Equal(2, (await owner.GetAclAsync("/row")).Acl.Count);
        Assert.Equal("r", Encoding.UTF8.GetString((await stranger.GetDataAsync("/row")).Data));
        Assert.Equal(ZooKeeperErrorCode.NoAuth, (await Assert.ThrowsAsync<ZooKeeperException>(() => stranger.GetDataAsync("/row/alive"))).Code);
        var refused = await Assert.ThrowsAsync<ZooKeeperMultiException>(() => stranger.MultiAsync(
            [ZooKeeperOperation.SetData("/open", Bytes("o2")), ZooKeeperOperation.SetData("/row", Bytes("evil"))]));
        Assert.Equal(ZooKeeperErrorCode.NoAuth, refused.Code);
        Assert.Equal("o", Encoding.UTF8.GetString((await owner.GetDataAsync("/open")).Data)); // all or nothing
        Assert.Equal(ZooKeeperAcl.OpenAclUnsafe, (await owner.GetAclAsync("/open")).Acl);
    }
}
