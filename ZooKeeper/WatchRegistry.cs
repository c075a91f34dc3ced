using OrleansFs.ZooKeeper.Protocol;

namespace OrleansFs.ZooKeeper;

/// <summary>
/// The client's one-shot watches by caller path. A watch is registered when its reply arrives (exists also on NONODE)
/// and removed when it fires; the same callback on the same path fires once, as in the Java client.
/// </summary>
internal sealed class WatchRegistry
{
    private readonly object _gate = new();
    private readonly Dictionary<string, HashSet<Action<WatchedEvent>>> _data = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<Action<WatchedEvent>>> _exist = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<Action<WatchedEvent>>> _child = new(StringComparer.Ordinal);

    public void Register(PendingRequest request)
    {
        if (request.Watcher is null) return;
        var table = request.Op switch
        {
            OpCode.GetChildren2 when request.Error == ZooKeeperErrorCode.Ok => _child,
            OpCode.GetData when request.Error == ZooKeeperErrorCode.Ok => _data,
            OpCode.Exists when request.Error == ZooKeeperErrorCode.Ok => _data,
            OpCode.Exists when request.Error == ZooKeeperErrorCode.NoNode => _exist,
            _ => null,
        };
        if (table is null) return;
        lock (_gate)
        {
            if (!table.TryGetValue(request.ClientPath, out var set)) table[request.ClientPath] = set = [];
            set.Add(request.Watcher);
        }
    }

    /// <summary>Removes and returns the watches this event fires.</summary>
    public Action<WatchedEvent>[] Take(WatchedEvent change)
    {
        var fired = new HashSet<Action<WatchedEvent>>();
        lock (_gate)
        {
            switch (change.Type)
            {
                case WatchEventType.NodeCreated:
                case WatchEventType.NodeDataChanged:
                    Move(_data, change.Path, fired);
                    Move(_exist, change.Path, fired);
                    break;
                case WatchEventType.NodeChildrenChanged:
                    Move(_child, change.Path, fired);
                    break;
                case WatchEventType.NodeDeleted:
                    Move(_data, change.Path, fired);
                    Move(_exist, change.Path, fired);
                    Move(_child, change.Path, fired);
                    break;
            }
        }
        return [.. fired];
    }

    /// <summary>The watched paths, mapped to server paths, for SetWatches after a reconnect.</summary>
    public SetWatchesBody? Snapshot(long lastZxid, ChrootMapper chroot)
    {
        lock (_gate)
        {
            if (_data.Count + _exist.Count + _child.Count == 0) return null;
            return new SetWatchesBody(
                lastZxid,
                [.. _data.Keys.Select(chroot.ToServer)],
                [.. _exist.Keys.Select(chroot.ToServer)],
                [.. _child.Keys.Select(chroot.ToServer)]);
        }
    }

    public int Count
    {
        get { lock (_gate) return _data.Count + _exist.Count + _child.Count; }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _data.Clear();
            _exist.Clear();
            _child.Clear();
        }
    }

    private static void Move(Dictionary<string, HashSet<Action<WatchedEvent>>> table, string path, HashSet<Action<WatchedEvent>> into)
    {
        if (table.Remove(path, out var set)) into.UnionWith(set);
    }
}
