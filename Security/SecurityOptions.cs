namespace OrleansFs.Security;

/// <summary>
/// The `Security` section. <see cref="Enabled"/> is the one setting that turns TLS on for every link: silo to silo,
/// client to gateway, the data endpoint, the web interface and ZooKeeper (unless `ZooKeeper:Tls:Enabled` says
/// otherwise). The certificate comes from PEM files (<see cref="CertificatePath"/> and <see cref="KeyPath"/>) or
/// from the certificate store (<see cref="CertificateStore"/>), never both.
/// </summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>TLS on every link. Off by default.</summary>
    public bool Enabled { get; set; }

    /// <summary>PEM file with this node's certificate (and, after it, any intermediates). Re-read when it changes.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM file with the certificate's private key (PKCS#8, PKCS#1 or SEC1, unencrypted). A secret: mode 0600.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The certificate from the store instead of PEM files.</summary>
    public CertificateStoreOptions? CertificateStore { get; set; }

    /// <summary>
    /// PEM bundle of the CAs the cluster trusts. When set, a peer's certificate must chain to one of these and to
    /// nothing else (the system's roots are not consulted); when unset, the system's trusted roots apply.
    /// </summary>
    public string? CaPath { get; set; }

    /// <summary>Clients (of the gateway, the data endpoint) must present a certificate that <see cref="CaPath"/> trusts.</summary>
    public bool RequireClientCertificate { get; set; }

    /// <summary>How long a block access token stays valid after the block grain issues it.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>File with the shared HMAC key that signs block access tokens (the same file on every silo). A secret: mode 0600.</summary>
    public string? AccessTokenKeyPath { get; set; }

    /// <summary>Whether a certificate is configured, as PEM files or in the store.</summary>
    public bool HasCertificate => !string.IsNullOrWhiteSpace(CertificatePath) || CertificateStore is not null;
}
