namespace OrleansFs.ZooKeeper;

/// <summary>A znode's data with the stat it was read at.</summary>
public sealed record NodeData(byte[] Data, NodeStat Stat);
