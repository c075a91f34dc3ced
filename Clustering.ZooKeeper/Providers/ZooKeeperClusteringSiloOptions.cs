namespace OrleansFs.Clustering.ZooKeeper;

/// <summary>Options of the silo's ZooKeeper membership table.</summary>
public sealed class ZooKeeperClusteringSiloOptions : ZooKeeperClusteringOptions
{
}
