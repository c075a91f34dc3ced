namespace OrleansFs.Security;

/// <summary>
/// A client's TLS settings (`OrleansFsClientOptions.Tls`; `ofs --tls-ca/--tls-cert/--tls-key` or
/// `OFS_TLS_CA/OFS_TLS_CERT/OFS_TLS_KEY`). TLS is on as soon as any of them is set, or <see cref="Enabled"/>.
/// </summary>
public sealed class ClientTlsOptions
{
    /// <summary>TLS with the system's trusted roots and no client certificate, when nothing else is set.</summary>
    public bool Enabled { get; set; }

    /// <summary>PEM bundle of the CAs that sign the cluster's certificates; only these are trusted.</summary>
    public string? CaPath { get; set; }

    /// <summary>PEM client certificate, for a cluster with `Security:RequireClientCertificate`.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key of <see cref="CertificatePath"/>.</summary>
    public string? KeyPath { get; set; }

    /// <summary>Whether the gateway lookup in ZooKeeper uses ZooKeeper's secure port too; default: as TLS is on.</summary>
    public bool? ZooKeeper { get; set; }

    /// <summary>TLS is on: explicitly, or because a CA or a certificate is given.</summary>
    public bool IsEnabled => Enabled || !string.IsNullOrWhiteSpace(CaPath) || !string.IsNullOrWhiteSpace(CertificatePath);

    /// <summary>Whether ZooKeeper is reached over TLS.</summary>
    public bool UsesZooKeeperTls => ZooKeeper ?? IsEnabled;

    public ClientTlsOptions Copy() => (ClientTlsOptions)MemberwiseClone();

    /// <summary>The same settings as a `Security` section, to build a <see cref="CertificateSource"/> from.</summary>
    public SecurityOptions ToSecurityOptions() => new()
    {
        Enabled = IsEnabled,
        CaPath = CaPath,
        CertificatePath = CertificatePath,
        KeyPath = KeyPath,
    };
}
