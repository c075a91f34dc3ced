namespace OrleansFs.Grains.Hosting;

/// <summary>
/// `ZooKeeper:Tls`: whether the silo speaks TLS to ZooKeeper (its `secureClientPort`, which the connection string
/// must then name). Unset follows `Security:Enabled`; the CA and the client certificate are the `Security` ones.
/// </summary>
public sealed class ZooKeeperTlsOptions
{
    public bool? Enabled { get; set; }
}
