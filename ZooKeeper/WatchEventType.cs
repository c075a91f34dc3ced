namespace OrleansFs.ZooKeeper;

/// <summary>What happened to a watched znode; the values are the wire codes.</summary>
public enum WatchEventType
{
    NodeCreated = 1,
    NodeDeleted = 2,
    NodeDataChanged = 3,
    NodeChildrenChanged = 4,
}
