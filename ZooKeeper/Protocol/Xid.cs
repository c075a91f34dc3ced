namespace OrleansFs.ZooKeeper.Protocol;

/// <summary>Reserved transaction ids: frames carrying them are not replies to ordinary requests.</summary>
internal static class Xid
{
    public const int Notification = -1;
    public const int Ping = -2;
    public const int Auth = -4;
    public const int SetWatches = -8;
}
