using OrleansFs.ZooKeeper;

namespace OrleansFs.Silo.Configuration;

/// <summary>The `ZooKeeper` section, used when `Cluster:Membership` is `ZooKeeper`.</summary>
public sealed class ZooKeeperSettings
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

    /// <summary>The parsed `Auth` (none when unset); a malformed value stops the silo with one line that does not repeat it.</summary>
    public List<ZooKeeperAuth> AuthEntries()
    {
        if (string.IsNullOrEmpty(Auth)) return [];
        try
        {
            return [ZooKeeperAuth.Parse(Auth)];
        }
        catch (FormatException e)
        {
            throw new SiloConfigurationException($"ZooKeeper:Auth: {e.Message}");
        }
    }
}
