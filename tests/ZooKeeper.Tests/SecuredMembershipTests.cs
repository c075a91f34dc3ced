using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using OrleansFs.Clustering.ZooKeeper;
using OrleansFs.ZooKeeper;
using OrleansFs.Tests.Fixtures;

namespace OrleansFs.Tests;

/// <summary>The membership table and gateway list with <c>Auth</c> set: the cluster's znodes belong to its credentials.</summary>
[Collection(StandaloneCollection.Name)]
public sealed class SecuredMembershipTests(StandaloneZooKeeperFixture zk) : IAsyncLifetime
{
    private const string ClusterId = "cluster";
    private const string Credentials = "digest:ofs:secret";
    private readonly string _top = $"/secure-{Guid.NewGuid():N}";
    private readonly List<IAsyncDisposable> _owned = [];

    private string Chroot => _top + "/deep";

    private string ClusterNode => Chroot + "/" + ClusterId;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var owned in _owned) await owned.DisposeAsync();
    }

    [Fact]
    public async Task Every_node_the_table_creates_is_owned_by_its_credentials_and_readable_by_anyone()
    {
        var table = await NewTableAsync(Credentials);
        var entry = Entry(1);
        Assert.True(await table.InsertRow(entry, (await table.ReadAll()).Version.Next()));
        var row = ClusterNode + "/" + entry.SiloAddress.ToParsableString();
        ZooKeeperAcl[] expected =
        [
            new(ZooKeeperPermissions.All, "digest", ZooKeeperAcl.DigestId("ofs", "secret")),
            new(ZooKeeperPermissions.Read, "world", "anyone"),
        ];

        await using var admin = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
        {
            ConnectionString = zk.ConnectionString,
            Auth = [ZooKeeperAuth.Parse(Credentials)],
        });

        foreach (var path in new[] { _top, Chroot, ClusterNode, row, row + "/IAmAlive" })
        {
            Assert.Equal(expected, (await admin.GetAclAsync(path)).Acl);
            // Without ADMIN the server shows the digest identity with its hash masked.
            Assert.Equal("ofs:x", (await zk.Admin.GetAclAsync(path)).Acl[0].Id);
        }
    }

    [Fact]
    public async Task A_raw_client_without_credentials_can_neither_change_nor_delete_the_membership_nodes()
    {
        var table = await NewTableAsync(Credentials);
        var entry = Entry(1);
        Assert.True(await table.InsertRow(entry, (await table.ReadAll()).Version.Next()));
        var row = ClusterNode + "/" + entry.SiloAddress.ToParsableString();
        var stranger = zk.Admin; // a session without credentials
        var before = await table.ReadAll();

        foreach (var path in new[] { ClusterNode, row, row + "/IAmAlive" })
        {
            Assert.Equal(ZooKeeperErrorCode.NoAuth, (await Assert.ThrowsAsync<ZooKeeperException>(() => stranger.SetDataAsync(path, Encoding.UTF8.GetBytes("{}")))).Code);
            Assert.Equal(ZooKeeperErrorCode.NoAuth, (await Assert.ThrowsAsync<ZooKeeperException>(() => stranger.DeleteAsync(path))).Code);
        }
        Assert.Equal(ZooKeeperErrorCode.NoAuth,
            (await Assert.ThrowsAsync<ZooKeeperException>(() => stranger.CreateAsync(ClusterNode + "/127.0.0.1:1@1", ReadOnlyMemory<byte>.Empty))).Code);
        Assert.Equal(ZooKeeperErrorCode.NoAuth,
            (await Assert.ThrowsAsync<ZooKeeperException>(() => stranger.SetAclAsync(ClusterNode, ZooKeeperAcl.OpenAclUnsafe))).Code);

        var after = await table.ReadAll();
        Assert.Equal(before.Version.Version, after.Version.Version);
        Assert.Equal(entry.ToFullString(), Assert.Single(after.Members).Item1.ToFullString());
    }

    [Fact]
    public async Task Silos_sharing_the_credentials_update_each_others_rows_and_a_silo_without_them_is_told_why_it_cannot()
    {
        var first = await NewTableAsync(Credentials);
        var second = await NewTableAsync(Credentials);
        var entry = Entry(1);
        Assert.True(await first.InsertRow(entry, (await first.ReadAll()).Version.Next()));
        var read = await second.ReadAll();
        var (row, etag) = read.Members.Single();
        row.Status = SiloStatus.Dead; // a peer declaring it dead

        Assert.True(await second.UpdateRow(row, etag, read.Version.Next()));
        var outsider = await NewTableAsync(auth: null, initialize: false);
        var refused = await Assert.ThrowsAsync<ZooKeeperMembershipTableException>(async () =>
            await outsider.InsertRow(Entry(2), (await outsider.ReadAll()).Version.Next()));
        var heartbeat = await Assert.ThrowsAsync<ZooKeeperMembershipTableException>(() => outsider.UpdateIAmAlive(entry));

        Assert.Equal(SiloStatus.Dead, (await first.ReadRow(entry.SiloAddress)).Members.Single().Item1.Status);
        Assert.Contains("ZooKeeper:Auth", refused.Message);
        Assert.Contains("NoAuth", refused.Message);
        Assert.True(refused.AccessDenied);
        Assert.Contains("ZooKeeper:Auth", heartbeat.Message);
        Assert.Single((await outsider.ReadAll()).Members); // reading needs no credentials
    }

    [Fact]
    public async Task Clients_without_credentials_find_the_gateways_unless_the_table_is_not_world_readable()
    {
        var table = await NewTableAsync(Credentials, worldReadable: false);
        var entry = Entry(1);
        entry.Status = SiloStatus.Active;
        Assert.True(await table.InsertRow(entry, (await table.ReadAll()).Version.Next()));
        var anonymous = await NewGatewayProviderAsync(auth: null);
        var member = await NewGatewayProviderAsync(Credentials);

        var error = await Assert.ThrowsAsync<ZooKeeperMembershipTableException>(() => anonymous.GetGateways());
        var gateways = await member.GetGateways();

        Assert.Contains("readable only with the cluster's credentials", error.Message);
        Assert.True(error.AccessDenied);
        Assert.Equal([SiloAddress.New(IPAddress.Loopback, entry.ProxyPort, entry.SiloAddress.Generation).ToGatewayUri()], gateways);
        var noRead = await Assert.ThrowsAsync<ZooKeeperException>(() => zk.Admin.GetDataAsync(ClusterNode));
        Assert.Equal(ZooKeeperErrorCode.NoAuth, noRead.Code);
    }

    [Fact]
    public async Task World_readable_tables_list_gateways_to_clients_without_credentials()
    {
        var table = await NewTableAsync(Credentials);
        var entry = Entry(1);
        entry.Status = SiloStatus.Active;
        Assert.True(await table.InsertRow(entry, (await table.ReadAll()).Version.Next()));
        var anonymous = await NewGatewayProviderAsync(auth: null);

        Assert.Single(await anonymous.GetGateways());
    }

    [Fact]
    public async Task Credentials_of_an_unknown_scheme_stop_the_table_with_AuthFailed()
    {
        var table = await NewTableAsync("nosuchscheme:whatever", initialize: false);

        var error = await Assert.ThrowsAsync<ZooKeeperAuthFailedException>(() => table.InitializeMembershipTable(true));

        Assert.Equal("nosuchscheme", error.Scheme);
        Assert.DoesNotContain("whatever", error.Message);
        Assert.Null(await zk.Admin.ExistsAsync(_top));
    }

    [Theory]
    [InlineData("digest:nopassword-hunter2")]
    [InlineData("hunter2")]
    public void The_validator_refuses_malformed_credentials_without_repeating_them(string auth)
    {
        var validator = new ZooKeeperClusteringOptionsValidator<ZooKeeperClusteringSiloOptions>(
            new ZooKeeperClusteringSiloOptions { ConnectionString = zk.ConnectionString, Auth = auth });

        var error = Assert.Throws<OrleansConfigurationException>(validator.ValidateConfiguration);

        Assert.Contains("Auth", error.Message);
        Assert.DoesNotContain("hunter2", error.Message);
    }

    private async Task<ZooKeeperMembershipTable> NewTableAsync(string? auth, bool worldReadable = true, bool initialize = true)
    {
        var table = new ZooKeeperMembershipTable(
            new ZooKeeperClusteringSiloOptions { ConnectionString = zk.ConnectionString + Chroot, Auth = auth, WorldReadable = worldReadable },
            ClusterId, NullLogger.Instance);
        _owned.Add(table);
        if (initialize) await table.InitializeMembershipTable(true);
        return table;
    }

    private async Task<ZooKeeperGatewayListProvider> NewGatewayProviderAsync(string? auth)
    {
        var provider = new ZooKeeperGatewayListProvider(
            Options.Create(new ZooKeeperGatewayListProviderOptions { ConnectionString = zk.ConnectionString + Chroot, Auth = auth }),
            Options.Create(new ClusterOptions { ClusterId = ClusterId, ServiceId = "s" }),
            Options.Create(new GatewayOptions()), NullLogger<ZooKeeperGatewayListProvider>.Instance);
        _owned.Add(provider);
        await provider.InitializeGatewayListProvider();
        return provider;
    }

    private static MembershipEntry Entry(int n) => new()
    {
        SiloAddress = SiloAddress.New(IPAddress.Loopback, 11000 + n, 100 + n),
        Status = SiloStatus.Joining,
        SuspectTimes = [],
        ProxyPort = 30000 + n,
        HostName = "host" + n,
        SiloName = "silo" + n,
        StartTime = DateTime.UtcNow,
        IAmAliveTime = DateTime.UtcNow,
    };
}
