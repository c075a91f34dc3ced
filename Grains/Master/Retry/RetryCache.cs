namespace OrleansFs.Grains.Master.Retry;

/// <summary>
/// Request id → first result, like HDFS's retry cache, bounded by a time window and a size: adding evicts
/// the oldest entries. Eviction uses the journaled entry times only, never the wall clock, so replay evicts
/// exactly as the live master did. Mutable (an immutable map cost ~7 µs per request); a checkpoint takes
/// a <see cref="RetryCacheSnapshot"/> instead, which is cheap because entries are only ever appended to
/// <see cref="_order"/> and removed from its front. Single-threaded, like the master.
/// </summary>
public sealed class RetryCache
{
    private const int ChunkSize = 4096;

    private readonly Dictionary<Guid, RetryCacheEntry> _entries = new();
    // Insertion order in fixed-size chunks that are never rewritten, so a snapshot can share them.
    // An id re-added after expiry appears twice; the stale copy is skipped when it reaches the front.
    private readonly List<RetryCacheEntry[]> _chunks = new();
    private long _head;
    private long _tail;
    private long _firstChunkStart;

    public int Count => _entries.Count;

    /// <summary>The first result of <paramref name="requestId"/>, if it was applied within the window before <paramref name="nowMs"/>.</summary>
    public bool TryGet(Guid requestId, long nowMs, long windowMs, out CachedResult result)
    {
        if (_entries.TryGetValue(requestId, out var entry) && entry.TimeMs >= nowMs - windowMs)
        {
            result = entry.Result;
            return true;
        }
        result = null!;
        return false;
    }

    public void Add(RetryCacheEntry entry, long windowMs, int maxEntries)
    {
        _entries[entry.RequestId] = entry;
        Append(entry);
        long oldestKept = entry.TimeMs - windowMs;
        while (_head < _tail)
        {
            var head = At(_head);
            bool live = _entries.TryGetValue(head.RequestId, out var current) && ReferenceEquals(current, head);
            if (live && head.TimeMs >= oldestKept && _entries.Count <= maxEntries) break;
            _head++;
            if (live) _entries.Remove(head.RequestId);
        }
        DropConsumedChunks();
    }

    /// <summary>The live entries, oldest first.</summary>
    public IEnumerable<RetryCacheEntry> Entries()
    {
        for (long i = _head; i < _tail; i++)
        {
            var entry = At(i);
            if (_entries.TryGetValue(entry.RequestId, out var current) && ReferenceEquals(current, entry)) yield return entry;
        }
    }

    /// <summary>The queue as it is now (superseded copies included, so a load rebuilds it exactly).</summary>
    public RetryCacheSnapshot Snapshot() => new(_chunks.ToArray(), _head - _firstChunkStart, _tail - _firstChunkStart);

    /// <summary>Rebuilds a cache from a snapshot's entries (oldest first), without evicting.</summary>
    public static RetryCache FromEntries(IEnumerable<RetryCacheEntry> oldestFirst)
    {
        var cache = new RetryCache();
        foreach (var entry in oldestFirst)
        {
            cache._entries[entry.RequestId] = entry;
            cache.Append(entry);
        }
        return cache;
    }

    private void Append(RetryCacheEntry entry)
    {
        long offset = _tail - _firstChunkStart;
        if (offset == (long)_chunks.Count * ChunkSize) _chunks.Add(new RetryCacheEntry[ChunkSize]);
        _chunks[(int)(offset / ChunkSize)][offset % ChunkSize] = entry;
        _tail++;
    }

    private RetryCacheEntry At(long index)
    {
        long offset = index - _firstChunkStart;
        return _chunks[(int)(offset / ChunkSize)][offset % ChunkSize];
    }

    private void DropConsumedChunks()
    {
        // Dropped chunks are not cleared: a snapshot taken earlier may still be reading them.
        while (_head - _firstChunkStart >= ChunkSize)
        {
            _chunks.RemoveAt(0);
            _firstChunkStart += ChunkSize;
        }
    }

    internal const int SnapshotChunkSize = ChunkSize;
}
