using Microsoft.Extensions.Logging;
using OrleansFs.Errors;

namespace OrleansFs.Grains.Journal;

/// <summary>
/// The journal on a (shared) directory: epochs and seals through <see cref="IEpochStore"/>, records through
/// <see cref="GroupCommitWriter"/>, checkpoints through <see cref="CheckpointFile"/>; the recovery order is
/// <see cref="JournalBase"/>'s. See <see cref="IJournal"/> for the contract and docs/architecture.md for why it is safe.
/// </summary>
public sealed partial class DirectoryJournal : JournalBase
{
    private readonly JournalOptions _options;
    private readonly ILogger _logger;
    private readonly JournalLayout _layout;

    public DirectoryJournal(JournalOptions options, ILogger<DirectoryJournal> logger, IEpochStore? epochs = null)
        : this(options, logger, new JournalLayout(options.Directory), epochs)
    {
    }

    private DirectoryJournal(JournalOptions options, ILogger logger, JournalLayout layout, IEpochStore? epochs)
        : base(epochs ?? new DirectoryEpochStore(layout.EpochsDirectory, logger, options.Fsync), "Directory", layout.Root)
    {
        _options = options;
        _logger = logger;
        _layout = layout;
    }

    private protected override Task PrepareAsync(CancellationToken cancellationToken)
    {
        _layout.CreateDirectories();
        return Task.CompletedTask;
    }

    private protected override Task<(JournalReplay? Replay, string? Refused)> TryResumeAsync(IReadOnlyList<EpochInfo> epochs,
        JournalResume resume, Action<JournalRecord> apply, CancellationToken cancellationToken)
    {
        DeleteAbandonedCheckpoints();
        var tail = new LogReplayer(_layout, epochs, resume.LastSequence, recovering: true, _options.Fsync);
        try
        {
            foreach (ReplayItem item in tail.Records()) apply(item.Record);
        }
        catch (FsException e) when (e.Code == FsErrorCode.JournalCorrupt)
        {
            // A real corruption fails again from the checkpoint, and is reported there.
            return Task.FromResult<(JournalReplay?, string?)>((null, e.Message));
        }
        long newest = _layout.ListCheckpoints() is [var first, ..] ? first : 0;
        DateTimeOffset? writtenAt = newest > 0 ? File.GetLastWriteTimeUtc(_layout.CheckpointPath(newest)) : null;
        return Task.FromResult<(JournalReplay?, string?)>((Replayed(tail, Math.Min(newest, resume.LastSequence), writtenAt, resume.LastSequence), null));
    }

    private protected override async Task<JournalReplay> ReplayFromCheckpointAsync(IReadOnlyList<EpochInfo> epochs,
        Func<Stream, CancellationToken, Task> loadCheckpoint, Action<JournalRecord> apply, CancellationToken cancellationToken)
    {
        DeleteAbandonedCheckpoints();
        var (checkpoint, writtenAt) = await CheckpointFile.LoadNewestAsync(_layout, loadCheckpoint, _logger, cancellationToken);
        var replayer = new LogReplayer(_layout, epochs, checkpoint, recovering: true, _options.Fsync);
        foreach (ReplayItem item in replayer.Records()) apply(item.Record);
        return Replayed(replayer, checkpoint, writtenAt, null);
    }

    private JournalReplay Replayed(LogReplayer replayer, long checkpoint, DateTimeOffset? writtenAt, long? resumedFrom)
    {
        if (replayer.TornBytes > 0)
            LogTornTailCut(_logger, replayer.TornBytes, replayer.TornFile, replayer.TornOffset);
        return new JournalReplay(checkpoint, writtenAt, resumedFrom, replayer.LastSequence, replayer.RecordsYielded,
            replayer.BytesYielded, replayer.TornBytes);
    }

    private protected override GroupCommitQueue StartWriter(long lastSequence) =>
        new GroupCommitWriter(_layout, Epochs, Epoch, lastSequence, _options, _logger);

    /// <summary>Writes under .tmp/, then renames into place; a failed attempt leaves nothing behind.</summary>
    private protected override async Task<long> StoreCheckpointAsync(long asOfSequence, Func<Stream, CancellationToken, Task> write,
        Func<Task> waitDurable, CancellationToken cancellationToken)
    {
        string temp = _layout.CheckpointTempPath(asOfSequence);
        try
        {
            long size = await CheckpointFile.WriteAsync(temp, asOfSequence, Epoch, write, _options.Fsync, cancellationToken);
            await waitDurable();
            if (await Epochs.IsSupersededAsync(Epoch, cancellationToken))
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

    private protected override async Task PruneAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<EpochInfo> epochs = await Epochs.ReadAllAsync(cancellationToken);
        var deleted = JournalPruner.Prune(_layout, epochs, Epoch);
        if (deleted.Count > 0)
            LogPruned(_logger, deleted.Count, deleted);
    }

    private protected override void OnRecovered(JournalRecoveryResult result, string start) =>
        LogRecovered(_logger, _layout.Root, result.Epoch, start, result.RecordsReplayed, result.LastSequence, (long)result.Duration.TotalMilliseconds);

    private protected override void OnStandbyStateRefused(long sequence, string? reason) => LogStandbyStateRefused(_logger, sequence, reason);

    private protected override void OnCheckpointWritten(long sequence, long bytes) => LogCheckpointWritten(_logger, sequence, bytes);

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
