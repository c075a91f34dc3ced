namespace OrleansFs.Clustering.ZooKeeper;

/// <summary>The membership table in ZooKeeper is missing, unreadable or could not be read consistently.</summary>
public sealed class ZooKeeperMembershipTableException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>ZooKeeper refused access (NOAUTH): the credentials are missing or are not the cluster's.</summary>
    public bool AccessDenied { get; init; }
}
