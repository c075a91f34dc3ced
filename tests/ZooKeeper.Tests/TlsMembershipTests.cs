using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using OrleansFs.Clustering.ZooKeeper;
using OrleansFs.Security;
using OrleansFs.TestSupport.Tls;
using OrleansFs.Tests.Fixtures;
using OrleansFs.ZooKeeper;

namespace OrleansFs.Tests;

/// <summary>
/// The membership table and the gateway list over ZooKeeper's secure port with the cluster's own certificates
/// (<see cref="CertificateSource"/>, as the silo and the client wire them), and files replaced on disk taken up by the
/// next connection.
/// </summary>
[Collection(TlsCollection.Name)]
public sealed class TlsMembershipTests(TlsZooKeeperFixture zk) : IDisposable
{
    private readonly TestCertificates _certificates = zk.Certificates;
    private readonly string _own = Directory.CreateTempSubdirectory("ofs-tls-own-").FullName;

    public void Dispose() => Directory.Delete(_own, recursive: true);

    [Fact]
    public async Task Silos_register_and_a_client_finds_the_gateways_over_TLS()
    {
        var chroot = $"/tls-{Guid.NewGuid():N}";
        using var silo = new CertificateSource(new SecurityOptions
        {
            Enabled = true,
            CertificatePath = _certificates.ServerCertificatePath,
            KeyPath = _certificates.ServerKeyPath,
            CaPath = _certificates.CaPath,
        });
        using var client = CertificateSource.ForClient(new ClientTlsOptions
        {
            CaPath = _certificates.CaPath,
            CertificatePath = _certificates.ClientCertificatePath,
            KeyPath = _certificates.ClientKeyPath,
        });
        var cluster = Options.Create(new ClusterOptions { ClusterId = "tls", ServiceId = "s" });
        await using var table = new ZooKeeperMembershipTable(
            Options.Create(new ZooKeeperClusteringSiloOptions { ConnectionString = zk.SecureConnectionString + chroot, Tls = s => silo.ClientOptions(s.Host) }),
            cluster, NullLogger<ZooKeeperMembershipTable>.Instance);
        await table.InitializeMembershipTable(true);
        var entry = new MembershipEntry
        {
            SiloAddress = SiloAddress.New(IPAddress.Loopback, 11001, 7),
            Status = SiloStatus.Active,
            ProxyPort = 30001,
            HostName = "h",
            SiloName = "s1",
            StartTime = DateTime.UtcNow,
            IAmAliveTime = DateTime.UtcNow,
        };
        Assert.True(await table.InsertRow(entry, (await table.ReadAll()).Version.Next()));
        await using var gateways = new ZooKeeperGatewayListProvider(
            Options.Create(new ZooKeeperGatewayListProviderOptions { ConnectionString = zk.SecureConnectionString + chroot, Tls = s => client.ClientOptions(s.Host) }),
            cluster, Options.Create(new GatewayOptions()), NullLogger<ZooKeeperGatewayListProvider>.Instance);
        await gateways.InitializeGatewayListProvider();

        Assert.Equal([SiloAddress.New(IPAddress.Loopback, 30001, 7).ToGatewayUri()], await gateways.GetGateways());
        await using var admin = await zk.ConnectAsync();
        Assert.Equal([entry.SiloAddress.ToParsableString()], (await admin.GetChildrenAsync(chroot + "/tls")).Children);
    }

    [Fact]
    public async Task A_CA_bundle_replaced_on_disk_is_trusted_by_the_next_connection()
    {
        using var stranger = TestCertificates.CreateStranger();
        string trust = Path.Combine(_own, "trust.pem");
        File.Copy(stranger.CaPath, trust);
        using var source = CertificateSource.ForClient(new ClientTlsOptions
        {
            CaPath = trust,
            CertificatePath = _certificates.ClientCertificatePath,
            KeyPath = _certificates.ClientKeyPath,
        });

        var refused = await Assert.ThrowsAsync<ZooKeeperTlsException>(() => ConnectAsync(source));
        Assert.Contains($"is not signed by a CA in {trust}", refused.Message);

        File.Copy(_certificates.CaPath, trust, overwrite: true);
        await using var session = await ConnectAsync(source);
        Assert.Equal(ZooKeeperSessionState.Connected, session.State);
    }

    [Fact]
    public async Task A_client_certificate_replaced_on_disk_is_presented_by_the_next_connection_without_a_restart()
    {
        using var stranger = TestCertificates.CreateStranger();
        string certificate = Path.Combine(_own, "client.pem"), key = Path.Combine(_own, "client.key");
        File.Copy(_certificates.ClientCertificatePath, certificate);
        File.Copy(_certificates.ClientKeyPath, key);
        using var source = CertificateSource.ForClient(new ClientTlsOptions { CaPath = _certificates.CaPath, CertificatePath = certificate, KeyPath = key });
        await using var first = await ConnectAsync(source);

        // Replaced by a certificate the server does not trust: the next connection presents it and is refused.
        File.Copy(stranger.ClientCertificatePath, certificate, overwrite: true);
        File.Copy(stranger.ClientKeyPath, key, overwrite: true);
        var refused = await Assert.ThrowsAsync<ZooKeeperTlsException>(() => ConnectAsync(source));
        Assert.Contains("certificate unknown", refused.Message);
        await first.ExistsAsync("/");

        // Renewed by the cluster's CA: the next connection is accepted, with the same source.
        var renewed = _certificates.IssueTo(certificate, key, "ofs-client-renewed", server: false, DateTimeOffset.UtcNow.AddDays(1));
        await using var second = await ConnectAsync(source);
        Assert.Equal(renewed.Thumbprint, source.Current.Thumbprint);
        Assert.Equal(ZooKeeperSessionState.Connected, second.State);
    }

    [Fact]
    public async Task An_OrleansFs_client_without_the_CA_is_told_that_ZooKeeper_refused_TLS()
    {
        using var stranger = TestCertificates.CreateStranger();
        var options = new OrleansFs.Client.OrleansFsClientOptions
        {
            ZooKeeperConnectionString = zk.SecureConnectionString + $"/never-{Guid.NewGuid():N}",
            Tls = { CaPath = stranger.CaPath, CertificatePath = _certificates.ClientCertificatePath, KeyPath = _certificates.ClientKeyPath },
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };

        var error = await Assert.ThrowsAsync<OrleansFs.Errors.FsException>(() => OrleansFs.Client.OrleansFsClient.ConnectAsync(options));

        Assert.True(error.Message.Contains($"the server 127.0.0.1 is not trusted: its certificate 'CN=ofs-server, O=OrleansFs' is not signed by a CA in {stranger.CaPath}"), error.Message);
    }

    private Task<ZooKeeperClient> ConnectAsync(CertificateSource source) => ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
    {
        ConnectionString = zk.SecureConnectionString,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        Tls = s => source.ClientOptions(s.Host),
    });
}
