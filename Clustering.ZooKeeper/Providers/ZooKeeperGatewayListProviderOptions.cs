namespace OrleansFs.Clustering.ZooKeeper;

/// <summary>Options of the client's ZooKeeper gateway list provider.</summary>
public sealed class ZooKeeperGatewayListProviderOptions : ZooKeeperClusteringOptions
{
}
