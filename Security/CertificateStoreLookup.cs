using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OrleansFs.Security;

/// <summary>Finds the configured certificate, with its private key, in an X.509 store.</summary>
public static class CertificateStoreLookup
{
    /// <summary>By thumbprint, else the currently valid certificate for the subject that expires last.</summary>
    public static X509Certificate2 Find(CertificateStoreOptions options)
    {
        string where = $"Security:CertificateStore ({options.StoreLocation}/{options.StoreName})";
        try
        {
            using var store = new X509Store(options.StoreName, options.StoreLocation);
            store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
            var (type, value) = string.IsNullOrWhiteSpace(options.Thumbprint)
                ? (X509FindType.FindBySubjectName, options.Subject!)
                : (X509FindType.FindByThumbprint, options.Thumbprint.Replace(" ", "", StringComparison.Ordinal));
            var now = DateTime.Now;
            var found = store.Certificates.Find(type, value, validOnly: false)
                .Where(c => c.HasPrivateKey && c.NotBefore <= now && now < c.NotAfter)
                .OrderByDescending(c => c.NotAfter)
                .FirstOrDefault();
            return found ?? throw new CertificateLoadException(
                $"{where} has no currently valid certificate with a private key for {(type == X509FindType.FindByThumbprint ? "thumbprint" : "subject")} '{value}'");
        }
        catch (CryptographicException e)
        {
            throw new CertificateLoadException($"{where} cannot be opened: {e.Message}", e);
        }
        catch (PlatformNotSupportedException e)
        {
            throw new CertificateLoadException($"{where} is not available on this platform ({e.Message}); on Linux use CurrentUser or PEM files", e);
        }
    }
}
