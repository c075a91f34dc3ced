namespace OrleansFs.Grains.Master.Sync;

/// <summary>
/// Remembers when each path was last synced with the under-storage, so a path is looked at there at most once
/// per interval. Zero means always, negative never. Held in memory only: a new master syncs afresh.
/// </summary>
public sealed class SyncIntervalTracker(TimeSpan interval, TimeProvider time, int maxPaths = 100_000)
{
    private readonly Dictionary<string, long> _lastSync = new(StringComparer.Ordinal);

    public bool Enabled => interval >= TimeSpan.Zero;

    public bool IsDue(string path)
    {
        if (interval < TimeSpan.Zero) return false;
        if (interval == TimeSpan.Zero) return true;
        return !_lastSync.TryGetValue(path, out long last) || time.GetElapsedTime(last) >= interval;
    }

    public void MarkSynced(string path)
    {
        if (interval <= TimeSpan.Zero) return;
        // Forgetting everything only costs one extra sync per path.
        if (_lastSync.Count >= maxPaths && !_lastSync.ContainsKey(path)) _lastSync.Clear();
        _lastSync[path] = time.GetTimestamp();
    }
}
