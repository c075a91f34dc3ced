namespace OrleansFs.Grains.Journal;

/// <summary>
/// A read-only follower of the journal a master elsewhere is writing: the warm standby's reader. It loads the
/// newest checkpoint, then each <see cref="PollAsync"/> hands over the records that became effective since
/// the last, in sequence order. Every refusal (records pruned away, a seal that ends an epoch before records
/// already applied, damage) is an <see cref="InvalidDataException"/>: the follower must start over from the
/// newest checkpoint. Implementations: <see cref="JournalTailer"/> (a directory) and the PostgreSQL one.
/// </summary>
public interface IJournalTailer : IDisposable
{
    /// <summary>The last record applied (the checkpoint's sequence before any).</summary>
    long LastSequence { get; }
    long CheckpointSequence { get; }
    long RecordsApplied { get; }

    /// <summary>For each epoch records were applied from, the highest one (a copy): what a takeover checks against the seals.</summary>
    IReadOnlyDictionary<long, long> LastSequenceByEpoch { get; }

    /// <summary>Loads the newest valid checkpoint through <paramref name="loadCheckpoint"/> (nothing if there is none).</summary>
    Task StartAsync(Func<Stream, CancellationToken, Task> loadCheckpoint, CancellationToken cancellationToken);

    /// <summary>Applies up to <paramref name="maxRecords"/> newly effective records; returns how many it applied.</summary>
    Task<int> PollAsync(Action<JournalRecord> apply, int maxRecords, CancellationToken cancellationToken);

    /// <summary>
    /// Waits until new records may be there: at most <paramref name="timeout"/> (the safety-net poll interval),
    /// less when the journal announces commits (PostgreSQL's NOTIFY).
    /// </summary>
    Task WaitForRecordsAsync(TimeSpan timeout, CancellationToken cancellationToken);
}
