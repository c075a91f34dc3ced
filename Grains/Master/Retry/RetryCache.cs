using System.Collections.Immutable;

namespace OrleansFs.Grains.Master.Retry;

/// <summary>
/// Request id → first result, like HDFS's retry cache. Immutable, so it is part of the namespace snapshot
/// a checkpoint writes. Bounded by a time window and a size: adding evicts the oldest entries. Eviction
/// uses the journaled entry times only, never the wall clock, so replay evicts exactly as the live master did.
/// </summary>
public sealed class RetryCache
{
    private readonly ImmutableDictionary<Guid, RetryCacheEntry> _entries;
    // Insertion order for eviction; an id re-added after expiry appears twice, the stale copy is skipped.
    private readonly ImmutableQueue<RetryCacheEntry> _order;

    public static RetryCache Empty { get; } = new(ImmutableDictionary<Guid, RetryCacheEntry>.Empty, ImmutableQueue<RetryCacheEntry>.Empty);

    private RetryCache(ImmutableDictionary<Guid, RetryCacheEntry> entries, ImmutableQueue<RetryCacheEntry> order)
    {
        _entries = entries;
        _order = order;
    }

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

    public RetryCache Add(RetryCacheEntry entry, long windowMs, int maxEntries)
    {
        var entries = _entries.SetItem(entry.RequestId, entry);
        var order = _order.Enqueue(entry);
        long oldestKept = entry.TimeMs - windowMs;
        while (!order.IsEmpty)
        {
            var head = order.Peek();
            bool live = entries.TryGetValue(head.RequestId, out var current) && ReferenceEquals(current, head);
            if (live && head.TimeMs >= oldestKept && entries.Count <= maxEntries) break;
            order = order.Dequeue();
            if (live) entries = entries.Remove(head.RequestId);
        }
        return new RetryCache(entries, order);
    }

    /// <summary>The live entries, oldest first (for checkpoints).</summary>
    public IEnumerable<RetryCacheEntry> Entries()
    {
        foreach (var entry in _order)
            if (_entries.TryGetValue(entry.RequestId, out var current) && ReferenceEquals(current, entry))
                yield return entry;
    }

    /// <summary>Rebuilds a cache from checkpointed entries (oldest first) without evicting.</summary>
    public static RetryCache FromEntries(IEnumerable<RetryCacheEntry> oldestFirst)
    {
        var entries = ImmutableDictionary.CreateBuilder<Guid, RetryCacheEntry>();
        var order = ImmutableQueue<RetryCacheEntry>.Empty;
        foreach (var entry in oldestFirst)
        {
            entries[entry.RequestId] = entry;
            order = order.Enqueue(entry);
        }
        return new RetryCache(entries.ToImmutable(), order);
    }
}
