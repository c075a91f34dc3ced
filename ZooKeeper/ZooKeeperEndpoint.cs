namespace OrleansFs.ZooKeeper;

/// <summary>One server of the ensemble as written in a connection string.</summary>
public readonly record struct ZooKeeperEndpoint(string Host, int Port)
{
    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
