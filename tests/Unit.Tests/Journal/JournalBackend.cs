using OrleansFs.Grains.Journal;

namespace OrleansFs.Unit.Tests.Journal;

/// <summary>
/// One journal under test, on one backend (a directory or PostgreSQL), so the same cases run against both:
/// it opens masters' journals and followers on it, reads its effective history back the way `ofs journal dump`
/// does, and damages it the way storage or a crash would.
/// </summary>
public abstract class JournalBackend : IAsyncDisposable
{
    public abstract string Kind { get; }

    /// <summary>A new, unrecovered journal instance on this journal (one per master activation).</summary>
    public abstract IJournal Open();

    /// <summary>A warm standby's follower of this journal.</summary>
    public abstract IJournalTailer Tailer();

    /// <summary>The effective history as the dump tool reads it, payloads copied.</summary>
    public abstract Task<IReadOnlyList<JournalRecord>> ReadAllAsync();

    /// <summary>The sequences of the checkpoints present, newest first.</summary>
    public abstract Task<IReadOnlyList<long>> CheckpointsAsync();

    /// <summary>The lowest sequence still stored (pruning removes the ones every kept checkpoint covers).</summary>
    public abstract Task<long> OldestStoredSequenceAsync();

    /// <summary>Flips a byte inside the body of checkpoint <paramref name="sequence"/>.</summary>
    public abstract Task DamageCheckpointAsync(long sequence);

    /// <summary>Flips a byte inside the payload of record <paramref name="sequence"/>; returns what the error must name.</summary>
    public abstract Task<string> DamageRecordAsync(long sequence);

    /// <summary>
    /// Leaves what a crash in the middle of writing a batch leaves (a torn frame, or an uncommitted transaction)
    /// for records from <paramref name="firstSequence"/> on, in <paramref name="epoch"/>.
    /// </summary>
    public abstract Task CrashMidBatchAsync(long firstSequence, long epoch);

    public abstract ValueTask DisposeAsync();

    /// <summary>Opens a journal and recovers it into a fresh state.</summary>
    public Task<(IJournal Journal, JournalTestState State, JournalRecoveryResult Result)> RecoverAsync() =>
        JournalTestState.RecoverAsync(Open());

    /// <summary>Recovers, appends <paramref name="texts"/> one after another, and closes.</summary>
    public Task<JournalTestState> WriteAsync(params string[] texts) => JournalTestState.WriteAsync(Open(), texts);

    public static async Task AppendAsync(IJournal journal, IEnumerable<string> texts)
    {
        foreach (string text in texts) await journal.Append(JournalTestState.RecordType, JournalTestState.Payload(text));
    }

    public override string ToString() => Kind;
}
