using OrleansFs.Grains.Journal;

namespace OrleansFs.Tests.Master.Fakes;

/// <summary>
/// What an in-memory journal keeps between master activations: the records, the newest checkpoint and the
/// epoch counter. A fake for logic tests only; real tests use the directory journal.
/// </summary>
public sealed class InMemoryJournalStore
{
    internal readonly object Gate = new();
    internal readonly List<JournalRecord> Records = new();
    internal byte[]? Checkpoint;
    internal long CheckpointSequence;
    internal DateTimeOffset? CheckpointTime;
    internal long Epoch;
    internal long LastSequence;

    public int RecordCount
    {
        get { lock (Gate) return Records.Count; }
    }

    public IReadOnlyList<JournalRecord> SnapshotRecords()
    {
        lock (Gate) return Records.ToArray();
    }

    public IJournal Open() => new InMemoryJournal(this);
}
