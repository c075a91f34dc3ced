namespace OrleansFs.Grains.Master.Retry;

/// <summary>
/// The retry cache's queue at one moment: shared chunks plus the [start, end) range in them. Slots in that
/// range are never written again, so a checkpoint can read them while the master goes on.
/// </summary>
public sealed class RetryCacheSnapshot(RetryCacheEntry[][] chunks, long start, long end)
{
    public long Count => end - start;

    public IEnumerable<RetryCacheEntry> Entries()
    {
        for (long i = start; i < end; i++)
            yield return chunks[i / RetryCache.SnapshotChunkSize][i % RetryCache.SnapshotChunkSize];
    }
}
