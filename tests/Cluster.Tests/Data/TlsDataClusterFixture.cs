using OrleansFs.Client.Streams;
using OrleansFs.Client.Streams.DataEndpoint;
using OrleansFs.Security;
using OrleansFs.TestSupport.Tls;

namespace OrleansFs.Tests.Data;

/// <summary>
/// The two-silo data cluster with <c>Security:Enabled</c>: data endpoints speak TLS with certificates from a test CA
/// and want a client certificate, and access tokens live <see cref="TokenLifetime"/>, short enough for a test to
/// outlive one. (Silo-to-silo and gateway TLS are wired by the silo host, not by this in-process cluster.)
/// </summary>
public sealed class TlsDataClusterFixture : DataClusterFixture
{
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromSeconds(2);
    private readonly List<IDisposable> _owned = [];

    public TestCertificates Certificates { get; } = TestCertificates.Create();

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Security:Enabled"] = "true";
        settings["Security:CertificatePath"] = Certificates.ServerCertificatePath;
        settings["Security:KeyPath"] = Certificates.ServerKeyPath;
        settings["Security:CaPath"] = Certificates.CaPath;
        settings["Security:RequireClientCertificate"] = "true";
        settings["Security:AccessTokenLifetime"] = TokenLifetime.ToString();
    }

    /// <summary>A client that trusts the test CA and presents its client certificate, as <c>ofs --tls-ca --tls-cert --tls-key</c> does.</summary>
    public override FileDataClient Files => new(Client, dataConnections: Connections);

    public DataConnectionPool Connections => field ??= new DataConnectionPool(ClientTls(Certificates.ClientCertificatePath, Certificates.ClientKeyPath));

    /// <summary>TLS settings of a client trusting the test CA, with the given certificate (or none).</summary>
    public DataClientTls ClientTls(string? certificatePath, string? keyPath)
    {
        var source = CertificateSource.ForClient(new ClientTlsOptions { CaPath = Certificates.CaPath, CertificatePath = certificatePath, KeyPath = keyPath });
        var tls = new DataClientTls(host => source.ClientOptions(host, checkHostName: false), source);
        lock (_owned) _owned.Add(tls);
        return tls;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var owned in _owned) owned.Dispose();
        Certificates.Dispose();
    }
}
