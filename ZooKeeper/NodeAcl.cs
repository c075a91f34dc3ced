namespace OrleansFs.ZooKeeper;

/// <summary>A znode's ACL with the stat it was read at (<see cref="NodeStat.AclVersion"/> is the version for setACL).</summary>
public sealed record NodeAcl(IReadOnlyList<ZooKeeperAcl> Acl, NodeStat Stat);
