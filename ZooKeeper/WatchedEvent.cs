namespace OrleansFs.ZooKeeper;

/// <summary>A fired one-shot watch; <see cref="Path"/> is relative to the client's chroot.</summary>
public sealed record WatchedEvent(WatchEventType Type, string Path);
