namespace OrleansFs.Clustering.ZooKeeper;

/// <summary>Where the membership table lives in ZooKeeper and how the session to it behaves.</summary>
public class ZooKeeperClusteringOptions
{
    /// <summary>
    /// <c>host:port,host:port[/chroot]</c>. The cluster's node is <c>/&lt;ClusterId&gt;</c> under the chroot; a missing
    /// chroot path is created.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Requested ZooKeeper session timeout (the server clamps it).</summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to keep trying the hosts when a session is (re)built.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);
}
