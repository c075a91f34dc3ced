using OrleansFs.Errors;
using OrleansFs.Grains.Journal;

namespace OrleansFs.Tests.Master.Fakes;

/// <summary>
/// An <see cref="IJournal"/> in memory with the contract's visible behaviour: sequence numbers assigned in
/// <see cref="Append"/>, group commit (appends waiting together complete in one "flush"), epochs that fence
/// older writers, and checkpoints with replay of the records after them.
/// </summary>
public sealed class InMemoryJournal(InMemoryJournalStore store) : IJournal
{
    private readonly List<TaskCompletionSource<long>> _pending = new();
    private long _epoch;
    private long _flushes;
    private bool _flushScheduled;
    private bool _fenced;

    public long Epoch => _epoch;

    public long LastSequence
    {
        get { lock (store.Gate) return store.LastSequence; }
    }

    public JournalStats Stats
    {
        get
        {
            lock (store.Gate)
            {
                return new JournalStats
                {
                    LastSequence = store.LastSequence,
                    LastCheckpointSequence = store.CheckpointSequence,
                    LastCheckpointTime = store.CheckpointTime,
                    RecordsSinceCheckpoint = store.LastSequence - store.CheckpointSequence,
                    Flushes = _flushes,
                    Kind = "Memory",
                    Location = "in-memory (tests)",
                };
            }
        }
    }

    public async Task<JournalRecoveryResult> RecoverAsync(
        Func<Stream, CancellationToken, Task> loadCheckpoint, Action<JournalRecord> apply, CancellationToken cancellationToken,
        JournalResume? resume = null)
    {
        // Standby states are a directory-journal feature; the fake always recovers from its checkpoint.
        resume?.Reject();
        byte[]? checkpoint;
        long checkpointSequence;
        JournalRecord[] records;
        lock (store.Gate)
        {
            _epoch = ++store.Epoch;
            checkpoint = store.Checkpoint;
            checkpointSequence = store.CheckpointSequence;
            records = store.Records.Where(r => r.Sequence > checkpointSequence).ToArray();
        }
        if (checkpoint is not null) await loadCheckpoint(new MemoryStream(checkpoint, writable: false), cancellationToken);
        foreach (var record in records) apply(record);
        return new JournalRecoveryResult(_epoch, checkpointSequence, records.Length, LastSequence, 0, TimeSpan.Zero);
    }

    public Task<long> Append(ushort type, ReadOnlyMemory<byte> payload)
    {
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (store.Gate)
        {
            if (_fenced || store.Epoch != _epoch)
            {
                _fenced = true;
                return Task.FromException<long>(new FsException(FsErrorCode.Fenced, null, $"epoch {_epoch} was superseded by epoch {store.Epoch}"));
            }
            long sequence = ++store.LastSequence;
            store.Records.Add(new JournalRecord(sequence, _epoch, type, payload.ToArray()));
            _pending.Add(done);
            if (!_flushScheduled)
            {
                _flushScheduled = true;
                _ = Task.Run(FlushAsync);
            }
        }
        return done.Task;
    }

    /// <summary>One "fsync" for every append that arrived while the previous one was pending.</summary>
    private async Task FlushAsync()
    {
        await Task.Yield();
        TaskCompletionSource<long>[] batch;
        long sequence;
        lock (store.Gate)
        {
            batch = _pending.ToArray();
            _pending.Clear();
            _flushScheduled = false;
            _flushes++;
            sequence = store.LastSequence;
        }
        foreach (var waiter in batch) waiter.SetResult(sequence);
    }

    public async Task WriteCheckpointAsync(long asOfSequence, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await write(buffer, cancellationToken);
        lock (store.Gate)
        {
            store.Checkpoint = buffer.ToArray();
            store.CheckpointSequence = asOfSequence;
            store.CheckpointTime = DateTimeOffset.UtcNow;
        }
    }

    public Task<bool> IsEpochCurrentAsync(CancellationToken cancellationToken)
    {
        lock (store.Gate) return Task.FromResult(!_fenced && store.Epoch == _epoch);
    }

    public async ValueTask DisposeAsync()
    {
        while (true)
        {
            Task[] waiting;
            lock (store.Gate) waiting = _pending.Select(p => (Task)p.Task).ToArray();
            if (waiting.Length == 0) return;
            await Task.WhenAll(waiting);
        }
    }
}
