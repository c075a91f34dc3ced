namespace OrleansFs.Grains.Journal;

/// <summary>
/// Deletes what no recovery can need any more, keeping one checkpoint back (in case the newest turns out
/// damaged): checkpoints older than the newest two, log segments wholly covered by the second-newest
/// checkpoint, and older epochs' segments that start beyond their seal.
/// </summary>
internal static class JournalPruner
{
    public static List<string> Prune(JournalLayout layout, IReadOnlyList<EpochInfo> epochs, long currentEpoch)
    {
        var deleted = new List<string>();
        List<long> checkpoints = layout.ListCheckpoints();
        if (checkpoints.Count < 2) return deleted;
        long keepFrom = checkpoints[1];
        foreach (long old in checkpoints.Skip(2)) Delete(layout.CheckpointPath(old), deleted);

        var live = new List<LogSegment>();
        foreach (LogSegment segment in layout.ListSegments())
        {
            if (segment.Epoch < currentEpoch && segment.FirstSequence > SealBounds.Of(epochs, segment.Epoch))
                Delete(segment.Path, deleted);
            else
                live.Add(segment);
        }
        // A segment ends where the next begins; the last one is always kept.
        for (int i = 0; i + 1 < live.Count; i++)
            if (live[i + 1].FirstSequence <= keepFrom + 1) Delete(live[i].Path, deleted);
        return deleted;
    }

    private static void Delete(string path, List<string> deleted)
    {
        File.Delete(path);
        deleted.Add(Path.GetFileName(path));
    }
}
