namespace OrleansFs.ZooKeeper;

/// <summary>The outcome of one operation in a multi: the created path for creates, the new stat for setData.</summary>
public sealed record ZooKeeperOperationResult(ZooKeeperErrorCode Error, string? Path = null, NodeStat? Stat = null);
