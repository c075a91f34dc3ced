namespace OrleansFs.Grains.Journal;

/// <summary>
/// The master's write-ahead journal. Payload-agnostic: the master encodes its own entries into
/// (type, payload) pairs. Implementations: <see cref="DirectoryJournal"/> (a shared directory) and
/// <see cref="PostgreSql.PostgreSqlJournal"/> (tables in PostgreSQL).
///
/// Contract:
/// - <see cref="RecoverAsync"/> is called once, first. It takes a new epoch (fencing every older writer),
///   loads the newest checkpoint through <c>loadCheckpoint</c>, replays later records through <c>apply</c>
///   in sequence order, cuts a torn tail, seals the previous epoch, and only then returns. Given a
///   <see cref="JournalResume"/> that is still effective, it loads no checkpoint and replays only the records
///   after it; otherwise it calls <see cref="JournalResume.Reject"/> and recovers as usual.
/// - <see cref="Append"/> assigns the next sequence number synchronously (so callers that apply a mutation
///   to memory and call Append before their first await get journal order == apply order) and returns a
///   task that completes once the record is durable (fsynced, group-committed with its neighbours) and the
///   epoch has been re-checked. If a newer epoch exists the task faults with FsException(Fenced) and the
///   journal refuses every later append. The payload is copied before Append returns, so the caller may
///   reuse its buffer at once.
/// - The record handed to <c>apply</c> during recovery points into a reused buffer: its payload is valid
///   only during that call (decode it there; copy it if you keep it).
/// - <see cref="WriteCheckpointAsync"/> writes a full snapshot as of a sequence number, atomically
///   (temp file, fsync, rename), then drops logs wholly covered by an older checkpoint.
/// </summary>
public interface IJournal : IAsyncDisposable
{
    long Epoch { get; }
    /// <summary>Sequence number of the last record handed to <see cref="Append"/>.</summary>
    long LastSequence { get; }
    JournalStats Stats { get; }

    Task<JournalRecoveryResult> RecoverAsync(
        Func<Stream, CancellationToken, Task> loadCheckpoint,
        Action<JournalRecord> apply,
        CancellationToken cancellationToken,
        JournalResume? resume = null);

    Task<long> Append(ushort type, ReadOnlyMemory<byte> payload);

    Task WriteCheckpointAsync(long asOfSequence, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken);

    /// <summary>
    /// Asks the epoch store, now and never from a cache, whether this journal's epoch is still the newest: what renews
    /// the master's lease. Throws when the store cannot answer (or <paramref name="cancellationToken"/> ends the wait).
    /// </summary>
    Task<bool> IsEpochCurrentAsync(CancellationToken cancellationToken);
}
