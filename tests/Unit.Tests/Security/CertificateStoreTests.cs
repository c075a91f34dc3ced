using System.Security.Cryptography.X509Certificates;
using OrleansFs.Security;
using OrleansFs.TestSupport.Tls;

namespace OrleansFs.Unit.Tests.Security;

/// <summary>The certificate from the current user's store instead of PEM files.</summary>
public sealed class CertificateStoreTests : IDisposable
{
    private readonly TestCertificates _certificates = TestCertificates.Create();
    private readonly string _subject = "ofs-store-" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<X509Certificate2> _added = [];

    public void Dispose()
    {
        using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
        store.Open(OpenFlags.ReadWrite);
        foreach (var certificate in _added) store.Remove(certificate);
        _certificates.Dispose();
    }

    [Fact]
    public void A_certificate_found_by_subject_is_presented_with_its_key()
    {
        var added = Add(DateTimeOffset.UtcNow.AddDays(1));
        var options = new SecurityOptions { Enabled = true, CaPath = _certificates.CaPath, CertificateStore = new CertificateStoreOptions { Subject = _subject } };

        Assert.False(new SecurityOptionsValidator().Validate(null, options).Failed);
        using var source = new CertificateSource(options);
        Assert.Equal(added.Thumbprint, source.Current.Thumbprint);
        Assert.True(source.Current.HasPrivateKey);
    }

    [Fact]
    public void Of_several_the_valid_one_that_expires_last_is_taken_and_by_thumbprint_the_one_named()
    {
        var shorter = Add(DateTimeOffset.UtcNow.AddDays(1));
        var longer = Add(DateTimeOffset.UtcNow.AddDays(20));

        using var bySubject = new CertificateSource(new SecurityOptions { Enabled = true, CertificateStore = new CertificateStoreOptions { Subject = _subject } });
        using var byThumbprint = new CertificateSource(new SecurityOptions { Enabled = true, CertificateStore = new CertificateStoreOptions { Thumbprint = shorter.Thumbprint } });

        Assert.Equal(longer.Thumbprint, bySubject.Current.Thumbprint);
        Assert.Equal(shorter.Thumbprint, byThumbprint.Current.Thumbprint);
    }

    [Fact]
    public void A_subject_with_no_certificate_in_the_store_is_named()
    {
        var options = new SecurityOptions { Enabled = true, CertificateStore = new CertificateStoreOptions { Subject = _subject } };

        var failures = new SecurityOptionsValidator().Validate(null, options).Failures;

        Assert.Equal([$"Security:CertificateStore (CurrentUser/My) has no currently valid certificate with a private key for subject '{_subject}'"], failures);
    }

    private X509Certificate2 Add(DateTimeOffset notAfter)
    {
        string certificatePath = Path.Combine(_certificates.Directory, $"{Guid.NewGuid():N}.pem"), keyPath = certificatePath + ".key";
        _certificates.IssueTo(certificatePath, keyPath, _subject, server: true, notAfter);
        // The store keeps what a PKCS#12 export carries; an in-memory key would be lost.
        using var withKey = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        var persisted = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
        using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
        store.Open(OpenFlags.ReadWrite);
        store.Add(persisted);
        _added.Add(persisted);
        return persisted;
    }
}
