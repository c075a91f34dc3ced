using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrleansFs.Grains.Hosting;
using OrleansFs.Security;
using OrleansFs.TestSupport.Tls;

namespace OrleansFs.Unit.Tests.Security;

/// <summary>A `Security` section that cannot work stops the silo at start with the setting, the file and what is wrong.</summary>
public sealed class SecurityOptionsValidatorTests : IDisposable
{
    private readonly TestCertificates _certificates = TestCertificates.Create();

    public void Dispose() => _certificates.Dispose();

    private static IReadOnlyList<string> Failures(SecurityOptions options) =>
        new SecurityOptionsValidator().Validate(null, options) is { Failed: true } result ? result.Failures.ToList() : [];

    private SecurityOptions Enabled() => new()
    {
        Enabled = true,
        CertificatePath = _certificates.ServerCertificatePath,
        KeyPath = _certificates.ServerKeyPath,
        CaPath = _certificates.CaPath,
    };

    [Fact]
    public void The_default_section_is_off_and_valid()
    {
        Assert.Empty(Failures(new SecurityOptions()));
        Assert.False(new SecurityOptions().Enabled);
    }

    [Fact]
    public void A_certificate_with_its_key_and_a_CA_bundle_is_valid() => Assert.Empty(Failures(Enabled()));

    [Fact]
    public void A_missing_key_file_is_named()
    {
        var options = Enabled();
        options.KeyPath = Path.Combine(_certificates.Directory, "missing.key");

        Assert.Equal([$"Security:KeyPath '{options.KeyPath}' does not exist"], Failures(options));
    }

    [Fact]
    public void A_certificate_file_without_PEM_is_named()
    {
        var options = Enabled();
        options.CertificatePath = Path.Combine(_certificates.Directory, "garbage.pem");
        File.WriteAllText(options.CertificatePath, "this is not a certificate\n");

        var failure = Assert.Single(Failures(options));
        Assert.Equal($"Security:CertificatePath '{options.CertificatePath}' holds no PEM certificate (no -----BEGIN CERTIFICATE----- block)", failure);
    }

    [Fact]
    public void A_truncated_PEM_certificate_is_refused()
    {
        var options = Enabled();
        options.CertificatePath = Path.Combine(_certificates.Directory, "truncated.pem");
        var text = File.ReadAllText(_certificates.ServerCertificatePath);
        File.WriteAllText(options.CertificatePath, text[..(text.Length / 2)]);

        var failure = Assert.Single(Failures(options));
        Assert.StartsWith($"Security:CertificatePath '{options.CertificatePath}' holds", failure);
    }

    [Fact]
    public void A_key_of_another_certificate_is_refused()
    {
        var options = Enabled();
        options.KeyPath = _certificates.ClientKeyPath;

        var failure = Assert.Single(Failures(options));
        Assert.StartsWith($"Security:KeyPath '{_certificates.ClientKeyPath}' does not hold the private key of the certificate in Security:CertificatePath", failure);
    }

    [Fact]
    public void An_encrypted_key_is_refused_with_what_to_do()
    {
        var options = Enabled();
        options.KeyPath = Path.Combine(_certificates.Directory, "encrypted.key");
        File.WriteAllText(options.KeyPath, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");

        Assert.Equal([$"Security:KeyPath '{options.KeyPath}' holds an encrypted private key; give it unencrypted and protect the file (mode 0600)"], Failures(options));
    }

    [Fact]
    public void Files_and_a_store_together_are_refused()
    {
        var options = Enabled();
        options.CertificateStore = new CertificateStoreOptions { Subject = "CN=ofs-server" };

        Assert.Equal(["Security: give CertificatePath/KeyPath or CertificateStore, not both"], Failures(options));
    }

    [Fact]
    public void A_store_needs_one_of_subject_and_thumbprint()
    {
        var options = new SecurityOptions { Enabled = true, CertificateStore = new CertificateStoreOptions() };

        Assert.Equal(["Security:CertificateStore needs exactly one of Subject and Thumbprint"], Failures(options));
    }

    [Fact]
    public void Enabled_without_a_certificate_says_what_to_set()
    {
        var failure = Assert.Single(Failures(new SecurityOptions { Enabled = true }));
        Assert.StartsWith("Security:Enabled needs this node's certificate", failure);
    }

    [Fact]
    public void A_CA_bundle_without_certificates_and_client_certificates_without_TLS_are_refused()
    {
        var empty = Path.Combine(_certificates.Directory, "empty.pem");
        File.WriteAllText(empty, "");

        var failures = Failures(new SecurityOptions { CaPath = empty, RequireClientCertificate = true, AccessTokenLifetime = TimeSpan.Zero });

        Assert.Equal(
        [
            $"Security:CaPath '{empty}' holds no PEM certificate (no -----BEGIN CERTIFICATE----- block)",
            "Security:RequireClientCertificate needs Security:Enabled",
            "Security:AccessTokenLifetime must be positive, not 00:00:00",
        ], failures);
    }

    [Fact]
    public void The_silo_refuses_to_start_with_a_missing_key_file()
    {
        string missing = Path.Combine(_certificates.Directory, "missing.key");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Security:Enabled"] = "true",
            ["Security:CertificatePath"] = _certificates.ServerCertificatePath,
            ["Security:KeyPath"] = missing,
        }).Build();
        var services = new ServiceCollection().AddLogging();
        new Silo(services).AddOrleansFs(configuration);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains($"Security:KeyPath '{missing}' does not exist", error.Message);
    }

    [Fact]
    public void The_silo_binds_the_section_and_its_ZooKeeper_TLS_follows_Enabled()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Security:Enabled"] = "true",
            ["Security:CertificatePath"] = _certificates.ServerCertificatePath,
            ["Security:KeyPath"] = _certificates.ServerKeyPath,
            ["Security:CaPath"] = _certificates.CaPath,
        }).Build();
        var services = new ServiceCollection().AddLogging();
        new Silo(services).AddOrleansFs(configuration);
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();

        var security = provider.GetRequiredService<IOptions<SecurityOptions>>().Value;
        var zooKeeper = provider.GetRequiredService<IOptions<ZooKeeperOptions>>().Value;
        Assert.True(zooKeeper.UsesTls(security));
        zooKeeper.Tls.Enabled = false;
        Assert.False(zooKeeper.UsesTls(security));
        Assert.Equal("CN=ofs-server, O=OrleansFs", provider.GetRequiredService<CertificateSource>().Current.Subject);
    }

    private sealed class Silo(IServiceCollection services) : ISiloBuilder
    {
        public IServiceCollection Services { get; } = services;
        public IConfiguration Configuration { get; } = new ConfigurationBuilder().Build();
    }
}
