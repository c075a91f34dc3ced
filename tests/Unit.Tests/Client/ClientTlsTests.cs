using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrleansFs.Client;
using OrleansFs.Client.Hosting;
using OrleansFs.Clustering.ZooKeeper;
using OrleansFs.Security;
using OrleansFs.TestSupport.Tls;

namespace OrleansFs.Tests.Client;

/// <summary>A client's TLS settings: checked before connecting, and turned into TLS for the gateway lookup in ZooKeeper.</summary>
public sealed class ClientTlsTests : IDisposable
{
    private readonly TestCertificates _certificates = TestCertificates.Create();

    public void Dispose() => _certificates.Dispose();

    [Fact]
    public void A_missing_CA_file_or_a_certificate_without_its_key_is_refused_before_connecting()
    {
        string missing = Path.Combine(_certificates.Directory, "none.pem");
        var options = new OrleansFsClientOptions { Tls = { CaPath = missing } };

        var e = Assert.Throws<ArgumentException>(() => OrleansFsClientOptionsValidator.ThrowIfInvalid(options));
        Assert.Equal($"Tls.CaPath '{missing}' does not exist", e.Message);

        options.Tls = new ClientTlsOptions { CaPath = _certificates.CaPath, CertificatePath = _certificates.ClientCertificatePath, KeyPath = _certificates.ServerKeyPath };
        e = Assert.Throws<ArgumentException>(() => OrleansFsClientOptionsValidator.ThrowIfInvalid(options));
        Assert.StartsWith($"Tls.KeyPath '{_certificates.ServerKeyPath}' does not hold the private key of the certificate in Tls.CertificatePath", e.Message);

        options.Tls.KeyPath = _certificates.ClientKeyPath;
        OrleansFsClientOptionsValidator.ThrowIfInvalid(options);
    }

    [Fact]
    public void A_CA_turns_on_TLS_for_the_gateway_lookup_in_ZooKeeper_unless_told_otherwise()
    {
        Assert.NotNull(GatewayLookup(new ClientTlsOptions { CaPath = _certificates.CaPath }).Tls);
        Assert.Null(GatewayLookup(new ClientTlsOptions { CaPath = _certificates.CaPath, ZooKeeper = false }).Tls);
        Assert.Null(GatewayLookup(new ClientTlsOptions()).Tls);
    }

    [Fact]
    public void The_gateway_lookup_presents_the_client_certificate_and_checks_the_ZooKeeper_host_name()
    {
        var lookup = GatewayLookup(new ClientTlsOptions
        {
            CaPath = _certificates.CaPath,
            CertificatePath = _certificates.ClientCertificatePath,
            KeyPath = _certificates.ClientKeyPath,
        });

        var tls = lookup.Tls!(new OrleansFs.ZooKeeper.ZooKeeperEndpoint("zk1.example", 2281));

        Assert.Equal("zk1.example", tls.TargetHost);
        Assert.Equal("CN=ofs-client, O=OrleansFs", tls.ClientCertificateContext!.TargetCertificate.Subject);
    }

    private static ZooKeeperGatewayListProviderOptions GatewayLookup(ClientTlsOptions tls)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddOrleansFsClient(o =>
        {
            o.ZooKeeperConnectionString = "zk1.example:2281/ofs";
            o.Tls = tls;
        });
        using var host = builder.Build();
        return host.Services.GetRequiredService<IOptions<ZooKeeperGatewayListProviderOptions>>().Value;
    }
}
