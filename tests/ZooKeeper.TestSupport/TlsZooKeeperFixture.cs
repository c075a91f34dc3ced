using System.Net.Security;
using OrleansFs.TestSupport;
using OrleansFs.TestSupport.Tls;
using OrleansFs.ZooKeeper;

namespace OrleansFs.Tests.Fixtures;

/// <summary>
/// One real standalone ZooKeeper with a secure client port that needs a client certificate signed by the test CA,
/// shared by the "TLS ZooKeeper" collection.
/// </summary>
public sealed class TlsZooKeeperFixture : IAsyncLifetime
{
    private ZooKeeperEnsemble? _server;

    public TestCertificates Certificates { get; } = TestCertificates.Create();

    public ZooKeeperEnsemble Server => _server ?? throw new InvalidOperationException("not started");

    public ZooKeeperServer Member => Server.Members[0];

    public string SecureConnectionString => Server.SecureConnectionString;

    public async Task InitializeAsync() => _server = await ZooKeeperEnsemble.StartAsync(1, ZooKeeperServerTls.For(Certificates));

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        Certificates.Dispose();
    }

    /// <summary>Options for a TLS session to the secure port: the test CA and the client certificate.</summary>
    public ZooKeeperClientOptions Options(string? connectionString = null, Func<ZooKeeperEndpoint, SslClientAuthenticationOptions>? tls = null) => new()
    {
        ConnectionString = connectionString ?? SecureConnectionString,
        SessionTimeout = TimeSpan.FromSeconds(10),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        Tls = tls ?? (server => Certificates.ClientTls(server.Host)),
    };

    public Task<ZooKeeperClient> ConnectAsync(string? chroot = null) =>
        ZooKeeperClient.ConnectAsync(Options(SecureConnectionString + chroot));
}
