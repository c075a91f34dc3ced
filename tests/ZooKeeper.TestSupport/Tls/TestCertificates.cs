using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OrleansFs.TestSupport.Tls;

/// <summary>
/// A throw-away CA and certificates signed by it, written as PEM files with the names
/// <c>deploy/tls/make-test-ca.sh</c> uses: ca.pem/ca.key, server.pem/server.key (serverAuth and clientAuth, since
/// silos dial each other; SAN localhost, 127.0.0.1, ::1 and the given names) and client.pem/client.key (clientAuth).
/// Made in process with ECDSA P-256, in milliseconds, without openssl. Keys are PKCS#8 (-----BEGIN PRIVATE KEY-----),
/// which both .NET and ZooKeeper's PEM loader read.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly TempDirectory? _owned;
    private readonly X509Certificate2 _ca;
    private readonly string[] _hostNames;

    private TestCertificates(string directory, TempDirectory? owned, X509Certificate2 ca, string[] hostNames)
    {
        Directory = directory;
        _owned = owned;
        _ca = ca;
        _hostNames = hostNames;
    }

    public string Directory { get; }
    public string CaPath => Path.Combine(Directory, "ca.pem");
    public string CaKeyPath => Path.Combine(Directory, "ca.key");
    public string ServerCertificatePath => Path.Combine(Directory, "server.pem");
    public string ServerKeyPath => Path.Combine(Directory, "server.key");
    public string ClientCertificatePath => Path.Combine(Directory, "client.pem");
    public string ClientKeyPath => Path.Combine(Directory, "client.key");

    /// <summary>The CA certificate (public part).</summary>
    public X509Certificate2 Ca => X509CertificateLoader.LoadCertificate(_ca.RawData);

    /// <summary>A new CA and its certificates in a fresh temp directory, deleted on dispose.</summary>
    public static TestCertificates Create(params string[] hostNames)
    {
        var owned = new TempDirectory("ofs-tls");
        return CreateIn(owned.Path, owned, "OrleansFs Test CA", hostNames);
    }

    /// <summary>A new CA and its certificates written into <paramref name="directory"/> (kept on dispose).</summary>
    public static TestCertificates CreateIn(string directory, params string[] hostNames) =>
        CreateIn(directory, null, "OrleansFs Test CA", hostNames);

    /// <summary>Another, unrelated CA with its own certificates: what a stranger or a misconfigured node holds.</summary>
    public static TestCertificates CreateStranger(params string[] hostNames)
    {
        var owned = new TempDirectory("ofs-tls-stranger");
        return CreateIn(owned.Path, owned, "Stranger CA", hostNames);
    }

    /// <summary>
    /// Issues a new server certificate (new key) and writes it over server.pem/server.key, as a renewal does: key
    /// first to a temp name, then both moved into place. Returns the new certificate.
    /// </summary>
    public X509Certificate2 RenewServer(string commonName = "ofs-server-renewed") =>
        WritePair(ServerCertificatePath, ServerKeyPath, Issue(commonName, server: true, _hostNames, DateTimeOffset.UtcNow.AddDays(30)));

    /// <summary>Issues a certificate signed by this CA and writes it to <paramref name="certificatePath"/>/<paramref name="keyPath"/>.</summary>
    public X509Certificate2 IssueTo(string certificatePath, string keyPath, string commonName, bool server, DateTimeOffset notAfter) =>
        WritePair(certificatePath, keyPath, Issue(commonName, server, _hostNames, notAfter));

    /// <summary>
    /// TLS client options that trust this CA alone (no system roots) and check the server's name, presenting the
    /// client certificate when <paramref name="presentClientCertificate"/>. Read from the files on each call.
    /// </summary>
    public SslClientAuthenticationOptions ClientTls(string targetHost, bool presentClientCertificate = true)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        var ca = new X509Certificate2Collection();
        ca.ImportFromPemFile(CaPath);
        policy.CustomTrustStore.AddRange(ca);
        return new SslClientAuthenticationOptions
        {
            TargetHost = targetHost,
            CertificateChainPolicy = policy,
            ClientCertificates = presentClientCertificate
                ? [X509Certificate2.CreateFromPemFile(ClientCertificatePath, ClientKeyPath)]
                : null,
        };
    }

    public void Dispose() => _owned?.Dispose();

    private static TestCertificates CreateIn(string directory, TempDirectory? owned, string caName, string[] hostNames)
    {
        System.IO.Directory.CreateDirectory(directory);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={caName}, O=OrleansFs", caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(1));
        File.WriteAllText(Path.Combine(directory, "ca.pem"), ca.ExportCertificatePem() + "\n");
        WriteSecret(Path.Combine(directory, "ca.key"), caKey.ExportPkcs8PrivateKeyPem() + "\n");
        var certificates = new TestCertificates(directory, owned, ca, hostNames);
        WritePair(certificates.ServerCertificatePath, certificates.ServerKeyPath,
            certificates.Issue("ofs-server", server: true, hostNames, DateTimeOffset.UtcNow.AddDays(30)));
        WritePair(certificates.ClientCertificatePath, certificates.ClientKeyPath,
            certificates.Issue("ofs-client", server: false, [], DateTimeOffset.UtcNow.AddDays(30)));
        return certificates;
    }

    private (X509Certificate2 Certificate, ECDsa Key) Issue(string commonName, bool server, string[] hostNames, DateTimeOffset notAfter)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}, O=OrleansFs", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        var usages = new OidCollection { new Oid("1.3.6.1.5.5.7.3.2") }; // clientAuth
        if (server) usages.Add(new Oid("1.3.6.1.5.5.7.3.1")); // serverAuth
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_ca, true, false));
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            names.AddIpAddress(IPAddress.Loopback);
            names.AddIpAddress(IPAddress.IPv6Loopback);
            foreach (var host in hostNames)
            {
                if (IPAddress.TryParse(host, out var address)) names.AddIpAddress(address);
                else names.AddDnsName(host);
            }
            request.CertificateExtensions.Add(names.Build());
        }
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        var certificate = request.Create(_ca, notBefore, notAfter < _ca.NotAfter ? notAfter : _ca.NotAfter, serial);
        return (certificate, key);
    }

    private static X509Certificate2 WritePair(string certificatePath, string keyPath, (X509Certificate2 Certificate, ECDsa Key) issued)
    {
        using var key = issued.Key;
        string keyTemp = keyPath + ".new", certificateTemp = certificatePath + ".new";
        WriteSecret(keyTemp, key.ExportPkcs8PrivateKeyPem() + "\n");
        File.WriteAllText(certificateTemp, issued.Certificate.ExportCertificatePem() + "\n");
        File.Move(keyTemp, keyPath, overwrite: true);
        File.Move(certificateTemp, certificatePath, overwrite: true);
        return issued.Certificate;
    }

    private static void WriteSecret(string path, string text)
    {
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
