namespace OrleansFs.ZooKeeper;

/// <summary>The server's metadata for one znode. Times are milliseconds since the Unix epoch.</summary>
public readonly record struct NodeStat(
    long CreatedZxid,
    long ModifiedZxid,
    long CreatedTime,
    long ModifiedTime,
    int Version,
    int ChildVersion,
    int AclVersion,
    long EphemeralOwner,
    int DataLength,
    int NumChildren,
    long ChildrenZxid);
