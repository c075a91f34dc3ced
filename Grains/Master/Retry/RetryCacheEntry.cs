namespace OrleansFs.Grains.Master.Retry;

/// <summary>One remembered request: its id, when it was applied (journal time), and its first result.</summary>
public sealed record RetryCacheEntry(Guid RequestId, long TimeMs, CachedResult Result);
