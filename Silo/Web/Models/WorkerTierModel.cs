namespace OrleansFs.Silo.Web.Models;

/// <summary>
/// One storage tier of one worker: capacity, bytes used, the part of them that may not be evicted (pinned, or not
/// yet persisted), and free bytes.
/// </summary>
public sealed record WorkerTierModel(string Tier, long CapacityBytes, long UsedBytes, long UnevictableBytes, long FreeBytes);
