namespace OrleansFs.ZooKeeper;

/// <summary>How a znode is created; the values are the wire flags.</summary>
public enum CreateMode
{
    Persistent = 0,
    Ephemeral = 1,
    PersistentSequential = 2,
    EphemeralSequential = 3,
    /// <summary>Removed by the server some time after its last child is gone.</summary>
    Container = 4,
}
