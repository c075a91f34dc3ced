using System.Security.Cryptography.X509Certificates;

namespace OrleansFs.Security;

/// <summary>
/// `Security:CertificateStore`: the certificate (with its private key) from an X.509 store, found by
/// <see cref="Thumbprint"/> or by <see cref="Subject"/> (then the valid one that expires last, so a renewed
/// certificate added to the store is taken up). On Linux only the CurrentUser stores can hold keys.
/// </summary>
public sealed class CertificateStoreOptions
{
    public StoreName StoreName { get; set; } = StoreName.My;

    public StoreLocation StoreLocation { get; set; } = StoreLocation.CurrentUser;

    /// <summary>Subject distinguished name (e.g. `CN=ofs-silo`) or a part of it, as X509FindType.FindBySubjectName matches.</summary>
    public string? Subject { get; set; }

    /// <summary>SHA-1 thumbprint in hex; pins one certificate (renewal then means changing this setting).</summary>
    public string? Thumbprint { get; set; }
}
