using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OrleansFs.Errors;

namespace OrleansFs.Grains.Journal;

/// <summary>
/// The journal on a (shared) directory: epochs and seals through <see cref="IEpochStore"/>, records through
/// <see cref="GroupCommitWriter"/>, checkpoints through <see cref="CheckpointFile"/>. See
/// <see cref="IJournal"/> for the contract and docs/architecture.md for why it is safe.
/// </summary>
public sealed partial class DirectoryJournal : IJournal
{
    private readonly JournalOptions _options;
    private readonly ILogger _logger;
    private readonly JournalLayout _layout;
    private readonly IEpochStore _epochs;
    private readonly SemaphoreSlim _checkpointGate = new(1, 1);
    private GroupCommitWriter? _writer;
    private long _recoveredSequence;
    private long _lastCheckpointSequence;
    private DateTimeOffset? _lastCheckpointTime;
    private long _bytesAtCheckpoint;
    private long _replayedBytes;

    public DirectoryJournal(JournalOptions options, ILogger<DirectoryJournal> logger, IEpochStore? epochs = null)
    {
        _options = options;
        _logger = logger;
        _layout = new JournalLayout(options.Directory);
        _epochs = epochs ?? new DirectoryEpochStore(_layout.EpochsDirectory, logger, options.Fsync);
    }

    public long Epoch { get; private set; }
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
                Kind = "Directory",
                Location = _layout.Root,
            };
        }
    }

    public async Task<JournalRecoveryResult> RecoverAsync(
        Func<Stream, CancellationToken, Task> loadCheckpoint,
        Action<JournalRecord> apply,
        CancellationToken cancellationToken,
        JournalResume? resume = null)
    {
        if (Epoch != 0) throw new InvalidOperationException("RecoverAsync may be called only once per journal instance");
        var started = Stopwatch.GetTimestamp();
        _layout.CreateDirectories();
        // Fencing order: take the epoch first, then read the logs, then seal, then serve.
        Epoch = await _epochs.TakeNextAsync(cancellationToken);
        IReadOnlyList<EpochInfo> epochs = await _epochs.ReadAllAsync(cancellationToken);
        DeleteAbandonedCheckpoints();
        (long checkpoint, long? resumedFrom, LogReplayer replayer) = await ReplayAsync(epochs, loadCheckpoint, apply, resume, cancellationToken);
        if (replayer.TornBytes > 0)
            LogTornTailCut(_logger, replayer.TornBytes, replayer.TornFile, replayer.TornOffset);
        await _epochs.SealAsync(Epoch, replayer.LastSequence, cancellationToken);
        if (await _epochs.IsSupersededAsync(Epoch, cancellationToken))
            throw new FsException(FsErrorCode.Fenced, null, $"journal epoch {Epoch} was superseded during recovery");
        _recoveredSequence = replayer.LastSequence;
        _lastCheckpointSequence = checkpoint;
        _replayedBytes = replayer.BytesYielded;
        _writer = new GroupCommitWriter(_layout, _epochs, Epoch, replayer.LastSequence, _options, _logger);
        var result = new JournalRecoveryResult(Epoch, checkpoint, replayer.RecordsYielded, replayer.LastSequence,
            replayer.TornBytes, Stopwatch.GetElapsedTime(started), resumedFrom);
        LogRecovered(_logger,
            _layout.Root, Epoch, resumedFrom is { } from ? $"resumed a standby state at sequence {from}" : $"checkpoint {checkpoint}",
            result.RecordsReplayed, result.LastSequence, (long)result.Duration.TotalMilliseconds);
        return result;
    }

    /// <summary>
    /// Replays the effective history after the offered state if it is still effective, otherwise (or if the
    /// records after it are gone) after the newest checkpoint. Returns the newest checkpoint's sequence.
    /// </summary>
    private async Task<(long Checkpoint, long? ResumedFrom, LogReplayer Replayer)> ReplayAsync(IReadOnlyList<EpochInfo> epochs,
        Func<Stream, CancellationToken, Task> loadCheckpoint, Action<JournalRecord> apply, JournalResume? resume,
        CancellationToken cancellationToken)
    {
        if (resume is not null)
        {
            string? refused = resume.WhyNotEffective(epochs);
            if (refused is null)
            {
                var tail = new LogReplayer(_layout, epochs, resume.LastSequence, recovering: true, _options.Fsync);
                try
                {
                    foreach (ReplayItem item in tail.Records()) apply(item.Record);
                    long newest = _layout.ListCheckpoints() is [var first, ..] ? first : 0;
                    _lastCheckpointTime = newest > 0 ? File.GetLastWriteTimeUtc(_layout.CheckpointPath(newest)) : null;
                    return (Math.Min(newest, resume.LastSequence), resume.LastSequence, tail);
                }
                catch (FsException e) when (e.Code == FsErrorCode.JournalCorrupt)
                {
                    // A real corruption fails again below, from the checkpoint, and is reported there.
                    refused = e.Message;
                }
            }
            LogStandbyStateRefused(_logger, resume.LastSequence, refused);
            resume.Reject();
        }
        var (checkpoint, writtenAt) = await CheckpointFile.LoadNewestAsync(_layout, loadCheckpoint, _logger, cancellationToken);
        _lastCheckpointTime = writtenAt;
        var replayer = new LogReplayer(_layout, epochs, checkpoint, recovering: true, _options.Fsync);
        foreach (ReplayItem item in replayer.Records()) apply(item.Record);
        return (checkpoint, null, replayer);
    }

    public Task<long> Append(ushort type, ReadOnlyMemory<byte> payload) =>
        _writer is { } writer
            ? writer.Append(type, payload.Span)
            : Task.FromException<long>(new InvalidOperationException("the journal must be recovered before appending"));

    public async Task WriteCheckpointAsync(long asOfSequence, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        GroupCommitWriter writer = _writer ?? throw new InvalidOperationException("the journal must be recovered before checkpointing");
        if (asOfSequence < 0 || asOfSequence > writer.LastSequence)
            throw FsException.InvalidArgument(null, $"checkpoint sequence {asOfSequence} is outside 0..{writer.LastSequence}");
        await _checkpointGate.WaitAsync(cancellationToken);
        try
        {
            long bytesAtStart = writer.BytesAppended;
            long size = await WriteCheckpointFileAsync(writer, asOfSequence, write, cancellationToken);
            _lastCheckpointSequence = asOfSequence;
            _lastCheckpointTime = DateTimeOffset.UtcNow;
            _bytesAtCheckpoint = _replayedBytes + bytesAtStart;
            LogCheckpointWritten(_logger, asOfSequence, size);
            await PruneAsync(cancellationToken);
        }
        finally
        {
            _checkpointGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_writer is not null) await _writer.StopAsync();
        _writer?.Dispose();
    }

    /// <summary>Writes under .tmp/, then renames into place; a failed attempt leaves nothing behind.</summary>
    private async Task<long> WriteCheckpointFileAsync(GroupCommitWriter writer, long asOfSequence,
        Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        string temp = _layout.CheckpointTempPath(asOfSequence);
        try
        {
            long size = await CheckpointFile.WriteAsync(temp, asOfSequence, Epoch, write, _options.Fsync, cancellationToken);
            // A checkpoint must never run ahead of what the log holds durably, nor come from a fenced master.
            await writer.WaitDurableAsync(asOfSequence);
            if (await _epochs.IsSupersededAsync(Epoch, cancellationToken))
                throw new FsException(FsErrorCode.Fenced, null, $"journal epoch {Epoch} was superseded; checkpoint abandoned");
            File.Move(temp, _layout.CheckpointPath(asOfSequence), overwrite: true);
            if (_options.Fsync) DirectorySync.Flush(_layout.CheckpointsDirectory);
            return size;
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private void DeleteAbandonedCheckpoints()
    {
        foreach (string temp in Directory.EnumerateFiles(_layout.CheckpointTempDirectory)) File.Delete(temp);
    }

    private async Task PruneAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<EpochInfo> epochs = await _epochs.ReadAllAsync(cancellationToken);
        var deleted = JournalPruner.Prune(_layout, epochs, Epoch);
        if (deleted.Count > 0)
            LogPruned(_logger, deleted.Count, deleted);
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Warning, Message = "Cut a torn journal tail of {Bytes} bytes from {File} at offset {Offset}")]
    private static partial void LogTornTailCut(ILogger logger, long bytes, string? file, long offset);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information,
        Message = "Journal {Location} recovered in epoch {Epoch}: {Start}, {Records} records replayed, last sequence {LastSequence}, in {Milliseconds} ms")]
    private static partial void LogRecovered(ILogger logger, string location, long epoch, string start, long records, long lastSequence, long milliseconds);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Recovering from the newest checkpoint instead of the standby state at sequence {Sequence}: {Reason}")]
    private static partial void LogStandbyStateRefused(ILogger logger, long sequence, string? reason);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Journal checkpoint as of sequence {Sequence} written ({Bytes} bytes)")]
    private static partial void LogCheckpointWritten(ILogger logger, long sequence, long bytes);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Information, Message = "Journal pruned {Count} files covered by older checkpoints: {Files}")]
    private static partial void LogPruned(ILogger logger, int count, IReadOnlyList<string> files);
}
