using System.Diagnostics;
using OrleansFs.Errors;

namespace OrleansFs.Grains.Journal;

/// <summary>
/// What every journal backend does the same way: the recovery order that makes fencing safe (take the epoch, read
/// the log, seal, re-check, then serve), the choice between resuming a standby state and loading the newest
/// checkpoint, appends through a <see cref="GroupCommitQueue"/>, checkpoint bookkeeping and stats. A backend
/// supplies its storage steps. See <see cref="IJournal"/> for the contract.
/// </summary>
public abstract class JournalBase : IJournal
{
    private readonly string _kind;
    private readonly string _location;
    private readonly SemaphoreSlim _checkpointGate = new(1, 1);
    private GroupCommitQueue? _writer;
    private long _recoveredSequence;
    private long _lastCheckpointSequence;
    private DateTimeOffset? _lastCheckpointTime;
    private long _bytesAtCheckpoint;
    private long _replayedBytes;

    private protected JournalBase(IEpochStore epochs, string kind, string location)
    {
        Epochs = epochs;
        _kind = kind;
        _location = location;
    }

    public long Epoch { get; private set; }
    private protected IEpochStore Epochs { get; }
    public long LastSequence => _writer?.LastSequence ?? _recoveredSequence;

    public JournalStats Stats
    {
        get
        {
            long last = LastSequence;
            return new JournalStats
            {
                LastSequence = last,
                LastCheckpointSequence = _lastCheckpointSequence,
                LastCheckpointTime = _lastCheckpointTime,
                RecordsSinceCheckpoint = last - _lastCheckpointSequence,
                BytesSinceCheckpoint = _replayedBytes + (_writer?.BytesAppended ?? 0) - _bytesAtCheckpoint,
                Flushes = _writer?.Flushes ?? 0,
                LastFlushMilliseconds = _writer?.LastFlushMilliseconds ?? 0,
                Kind = _kind,
                Location = _location,
            };
        }
    }

    /// <summary>Makes the storage ready (directories, tables) before recovery reads it.</summary>
    private protected abstract Task PrepareAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Replays the records after an offered standby state that the epochs say is still effective; null with the
    /// reason when this backend cannot (the records after it are gone or damaged).
    /// </summary>
    private protected abstract Task<(JournalReplay? Replay, string? Refused)> TryResumeAsync(IReadOnlyList<EpochInfo> epochs,
        JournalResume resume, Action<JournalRecord> apply, CancellationToken cancellationToken);

    /// <summary>Loads the newest valid checkpoint and replays the effective history after it.</summary>
    private protected abstract Task<JournalReplay> ReplayFromCheckpointAsync(IReadOnlyList<EpochInfo> epochs,
        Func<Stream, CancellationToken, Task> loadCheckpoint, Action<JournalRecord> apply, CancellationToken cancellationToken);

    private protected abstract GroupCommitQueue StartWriter(long lastSequence);

    /// <summary>
    /// Stores a checkpoint as of <paramref name="asOfSequence"/> and returns its size; it must await
    /// <paramref name="waitDurable"/> and re-check the epoch before the checkpoint becomes visible.
    /// </summary>
    private protected abstract Task<long> StoreCheckpointAsync(long asOfSequence, Func<Stream, CancellationToken, Task> write,
        Func<Task> waitDurable, CancellationToken cancellationToken);

    /// <summary>Deletes what the newest checkpoint made unnecessary.</summary>
    private protected abstract Task PruneAsync(CancellationToken cancellationToken);

    /// <param name="start">What replay started from, for the log.</param>
    private protected abstract void OnRecovered(JournalRecoveryResult result, string start);

    private protected abstract void OnStandbyStateRefused(long sequence, string? reason);

    private protected abstract void OnCheckpointWritten(long sequence, long bytes);

    public async Task<JournalRecoveryResult> RecoverAsync(
        Func<Stream, CancellationToken, Task> loadCheckpoint,
        Action<JournalRecord> apply,
        CancellationToken cancellationToken,
        JournalResume? resume = null)
    {
        if (Epoch != 0) throw new InvalidOperationException("RecoverAsync may be called only once per journal instance");
        try
        {
            return await RecoverOnceAsync(loadCheckpoint, apply, cancellationToken, resume);
        }
        catch (Exception e) when (RecoveryFailure(e) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>
    /// What a backend's own failure during recovery means to the master's callers, or null to let it through as it is.
    /// The master's activation fails with it and the next call activates it again, so a store that is down for a
    /// while must read as a retryable <see cref="FsErrorCode.Unavailable"/>.
    /// </summary>
    private protected virtual Exception? RecoveryFailure(Exception exception) => null;

    private async Task<JournalRecoveryResult> RecoverOnceAsync(Func<Stream, CancellationToken, Task> loadCheckpoint,
        Action<JournalRecord> apply, CancellationToken cancellationToken, JournalResume? resume)
    {
        long started = Stopwatch.GetTimestamp();
        await PrepareAsync(cancellationToken);
        // Fencing order: take the epoch first, then read the log, then seal, then serve.
        Epoch = await Epochs.TakeNextAsync(cancellationToken);
        IReadOnlyList<EpochInfo> epochs = await Epochs.ReadAllAsync(cancellationToken);
        JournalReplay replay = await ReplayAsync(epochs, loadCheckpoint, apply, resume, cancellationToken);
        await Epochs.SealAsync(Epoch, replay.LastSequence, cancellationToken);
        if (await Epochs.IsSupersededAsync(Epoch, cancellationToken))
            throw new FsException(FsErrorCode.Fenced, null, $"journal epoch {Epoch} was superseded during recovery");
        _recoveredSequence = replay.LastSequence;
        _lastCheckpointSequence = replay.Checkpoint;
        _lastCheckpointTime = replay.CheckpointTime;
        _replayedBytes = replay.Bytes;
        _writer = StartWriter(replay.LastSequence);
        var result = new JournalRecoveryResult(Epoch, replay.Checkpoint, replay.Records, replay.LastSequence,
            replay.TornBytes, Stopwatch.GetElapsedTime(started), replay.ResumedFrom);
        OnRecovered(result, replay.ResumedFrom is { } from ? $"resumed a standby state at sequence {from}" : $"checkpoint {replay.Checkpoint}");
        return result;
    }

    /// <summary>Resumes the offered state if it is still effective, otherwise replays from the newest checkpoint.</summary>
    private async Task<JournalReplay> ReplayAsync(IReadOnlyList<EpochInfo> epochs, Func<Stream, CancellationToken, Task> loadCheckpoint,
        Action<JournalRecord> apply, JournalResume? resume, CancellationToken cancellationToken)
    {
        if (resume is not null)
        {
            string? refused = resume.WhyNotEffective(epochs);
            if (refused is null)
            {
                (JournalReplay? resumed, refused) = await TryResumeAsync(epochs, resume, apply, cancellationToken);
                if (resumed is { } replay) return replay;
            }
            OnStandbyStateRefused(resume.LastSequence, refused);
            resume.Reject();
        }
        return await ReplayFromCheckpointAsync(epochs, loadCheckpoint, apply, cancellationToken);
    }

    public Task<long> Append(ushort type, ReadOnlyMemory<byte> payload) =>
        _writer is { } writer
            ? writer.Append(type, payload.Span)
            : Task.FromException<long>(new InvalidOperationException("the journal must be recovered before appending"));

    public async Task WriteCheckpointAsync(long asOfSequence, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        GroupCommitQueue writer = _writer ?? throw new InvalidOperationException("the journal must be recovered before checkpointing");
        if (asOfSequence < 0 || asOfSequence > writer.LastSequence)
            throw FsException.InvalidArgument(null, $"checkpoint sequence {asOfSequence} is outside 0..{writer.LastSequence}");
        await _checkpointGate.WaitAsync(cancellationToken);
        try
        {
            long bytesAtStart = writer.BytesAppended;
            // A checkpoint must never run ahead of what the log holds durably, nor come from a fenced master.
            long size = await StoreCheckpointAsync(asOfSequence, write, () => writer.WaitDurableAsync(asOfSequence), cancellationToken);
            _lastCheckpointSequence = asOfSequence;
            _lastCheckpointTime = DateTimeOffset.UtcNow;
            _bytesAtCheckpoint = _replayedBytes + bytesAtStart;
            OnCheckpointWritten(asOfSequence, size);
            await PruneAsync(cancellationToken);
        }
        finally
        {
            _checkpointGate.Release();
        }
    }

    public async Task<bool> IsEpochCurrentAsync(CancellationToken cancellationToken)
    {
        if (Epoch == 0) throw new InvalidOperationException("the journal must be recovered before its epoch can be checked");
        return !await Epochs.IsSupersededAsync(Epoch, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_writer is null) return;
        await _writer.StopAsync();
        _writer.Dispose();
    }
}
