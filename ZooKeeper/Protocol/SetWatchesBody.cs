namespace OrleansFs.ZooKeeper.Protocol;

/// <summary>The watches to re-arm after a reconnect (server paths), and the last zxid the client saw.</summary>
internal sealed class SetWatchesBody(long relativeZxid, List<string> data, List<string> exist, List<string> child)
{
    public int PathCount => data.Count + exist.Count + child.Count;

    public void WriteTo(JuteWriter writer)
    {
        writer.WriteLong(relativeZxid);
        writer.WriteStringVector(data);
        writer.WriteStringVector(exist);
        writer.WriteStringVector(child);
    }
}
