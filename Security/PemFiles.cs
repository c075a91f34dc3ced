using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OrleansFs.Security;

/// <summary>
/// Reads certificates and keys from PEM files with errors that say which setting, which file and what is wrong
/// (missing, unreadable, no PEM block, encrypted key, key of another certificate), instead of a bare
/// CryptographicException.
/// </summary>
public static class PemFiles
{
    /// <summary>
    /// The certificate with its private key, and any further certificates of the file (intermediates, leaf first).
    /// <paramref name="keyPath"/> null: the key is in the certificate file.
    /// </summary>
    public static (X509Certificate2 Certificate, X509Certificate2Collection Chain) LoadCertificate(
        string certificatePath, string? keyPath, string certificateSetting = "Security:CertificatePath", string keySetting = "Security:KeyPath")
    {
        string certificateText = ReadText(certificatePath, certificateSetting);
        string keyText = keyPath is null ? certificateText : ReadText(keyPath, keySetting);
        string keyFile = keyPath ?? certificatePath;
        string keyName = keyPath is null ? certificateSetting : keySetting;
        var all = new X509Certificate2Collection();
        try
        {
            all.ImportFromPem(certificateText);
        }
        catch (CryptographicException e)
        {
            throw new CertificateLoadException($"{certificateSetting} '{certificatePath}' holds a malformed PEM certificate: {e.Message}", e);
        }
        if (all.Count == 0)
            throw new CertificateLoadException($"{certificateSetting} '{certificatePath}' holds no PEM certificate (no -----BEGIN CERTIFICATE----- block)");
        if (keyText.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal))
            throw new CertificateLoadException($"{keyName} '{keyFile}' holds an encrypted private key; give it unencrypted and protect the file (mode 0600)");
        if (!keyText.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
            throw new CertificateLoadException($"{keyName} '{keyFile}' holds no PEM private key (no -----BEGIN PRIVATE KEY----- block)");
        try
        {
            var certificate = X509Certificate2.CreateFromPem(certificateText, keyText);
            all.RemoveAt(0);
            return (certificate, all);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new CertificateLoadException(
                $"{keyName} '{keyFile}' does not hold the private key of the certificate in {certificateSetting} '{certificatePath}' ({e.Message})", e);
        }
    }

    /// <summary>Every certificate of a PEM bundle; at least one.</summary>
    public static X509Certificate2Collection LoadBundle(string path, string setting = "Security:CaPath")
    {
        string text = ReadText(path, setting);
        var bundle = new X509Certificate2Collection();
        try
        {
            bundle.ImportFromPem(text);
        }
        catch (CryptographicException e)
        {
            throw new CertificateLoadException($"{setting} '{path}' holds a malformed PEM certificate: {e.Message}", e);
        }
        if (bundle.Count == 0)
            throw new CertificateLoadException($"{setting} '{path}' holds no PEM certificate (no -----BEGIN CERTIFICATE----- block)");
        return bundle;
    }

    private static string ReadText(string path, string setting)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (FileNotFoundException e)
        {
            throw new CertificateLoadException($"{setting} '{path}' does not exist", e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new CertificateLoadException($"{setting} '{path}' does not exist", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new CertificateLoadException($"{setting} '{path}' cannot be read by this user (permission denied)", e);
        }
        catch (IOException e)
        {
            throw new CertificateLoadException($"{setting} '{path}' cannot be read: {e.Message}", e);
        }
    }
}
