using OrleansFs.TestSupport;
using OrleansFs.TestSupport.Tls;

namespace OrleansFs.Tests.Tls;

/// <summary>
/// Three real silos with `Security:Enabled` and `Security:RequireClientCertificate`: mutual TLS between silos, TLS and
/// client certificates on the gateways, HTTPS on the web interface, ZooKeeper reached only on its secure port (which
/// requires a client certificate too), all with one test CA; and a stranger's CA with its own client certificate, for a
/// client the cluster must not let in.
/// </summary>
public sealed class TlsClusterFixture : IAsyncLifetime
{
    public TestCertificates Certificates { get; } = TestCertificates.Create();
    public TestCertificates Stranger { get; } = TestCertificates.CreateStranger();

    public ClusterProcesses Cluster { get; private set; } = null!;

    /// <summary>What a user with the CA and a client certificate passes to `ofs`.</summary>
    public string[] TrustedClient =>
        ["--tls-ca", Certificates.CaPath, "--tls-cert", Certificates.ClientCertificatePath, "--tls-key", Certificates.ClientKeyPath];

    public async Task InitializeAsync()
    {
        try
        {
            Cluster = await ClusterProcesses.StartAsync(silos: 3, zooKeeperMembers: 1, extraSiloArguments:
            [
                "--Security:Enabled=true",
                "--Security:RequireClientCertificate=true",
                $"--Security:CaPath={Certificates.CaPath}",
                $"--Security:CertificatePath={Certificates.ServerCertificatePath}",
                $"--Security:KeyPath={Certificates.ServerKeyPath}",
            ], zooKeeperTls: ZooKeeperServerTls.For(Certificates));
        }
        catch
        {
            Certificates.Dispose();
            Stranger.Dispose();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (Cluster is not null) await Cluster.DisposeAsync();
        Certificates.Dispose();
        Stranger.Dispose();
    }
}
