using OrleansFs.ZooKeeper;

namespace OrleansFs.Grains.Hosting;

/// <summary>The `ZooKeeper` section, used when `Cluster:Membership` is `ZooKeeper` (membership and journal epochs).</summary>
public sealed class ZooKeeperOptions
{
    public const string Section = "ZooKeeper";

    /// <summary>`host:port,host:port/chroot`.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// `scheme:credentials`, e.g. `digest:ofs:secret`: the silo authenticates and owns the znodes it creates
    /// (membership, journal epochs). A secret: shown redacted, never logged.
    /// </summary>
    public string? Auth { get; set; }

    /// <summary>With `Auth`, whether the membership nodes stay readable by anyone (clients find gateways without credentials).</summary>
    public bool WorldReadable { get; set; } = true;

    /// <summary>TLS to ZooKeeper's secure client port; by default on exactly when `Security:Enabled` is.</summary>
    public ZooKeeperTlsOptions Tls { get; set; } = new();

    /// <summary>Whether ZooKeeper is reached over TLS, given the `Security` section.</summary>
    public bool UsesTls(OrleansFs.Security.SecurityOptions security) => Tls.Enabled ?? security.Enabled;

    /// <summary>The parsed `Auth` (none when unset); <see cref="ZooKeeperOptionsValidator"/> has refused a malformed one.</summary>
    public List<ZooKeeperAuth> AuthEntries() => string.IsNullOrEmpty(Auth) ? [] : [ZooKeeperAuth.Parse(Auth)];
}
