namespace OrleansFs.Silo.Configuration;

/// <summary>The `ZooKeeper` section, used when `Cluster:Membership` is `ZooKeeper`.</summary>
public sealed class ZooKeeperSettings
{
    public const string Section = "ZooKeeper";

    /// <summary>`host:port,host:port/chroot`.</summary>
    public string? ConnectionString { get; set; }
}
