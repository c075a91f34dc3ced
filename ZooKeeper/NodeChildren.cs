namespace OrleansFs.ZooKeeper;

/// <summary>A znode's child names (in no particular order) with the parent's stat read at the same time.</summary>
public sealed record NodeChildren(IReadOnlyList<string> Children, NodeStat Stat);
