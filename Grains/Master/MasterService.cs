using System.Buffers;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Grains.Journal;
using OrleansFs.Grains.Lineage;
using OrleansFs.Grains.Lineage.Records;
using OrleansFs.Grains.Master.Checkpoints;
using OrleansFs.Grains.Master.Entries;
using OrleansFs.Grains.Master.Retry;
using OrleansFs.Grains.Failover.Standby;
using OrleansFs.Grains.Master.State;
using OrleansFs.Grains.Failover.Takeover;
using OrleansFs.Grains.Master.Lease;
using OrleansFs.Lineage;
using OrleansFs.Master;

namespace OrleansFs.Grains.Master;

/// <summary>
/// The namespace master's logic, hosted by <see cref="MasterGrain"/> and driven directly by unit tests.
/// Each mutation validates, applies to memory and hands its entry to the journal synchronously, before
/// its first await, then awaits durability and answers. Concurrent callers (the grain is reentrant) thus
/// share one group commit, journal order is apply order, and replay rebuilds the same namespace through
/// the same <see cref="MasterStateMachine.Apply"/>. Not thread-safe: callers come one turn at a time.
/// </summary>
public sealed partial class MasterService : IAsyncDisposable
{
    private readonly IJournal _journal;
    private readonly MasterOptions _options;
    private readonly JournalOptions _journalOptions;
    private readonly TimeProvider _time;
    private readonly IBlockFreer? _blockFreer;
    private readonly ILogger _logger;
    private readonly ILineageJobValidator _lineageJobs;
    private readonly CancellationTokenSource _stopping = new();

    private MasterStateMachine _machine;
    private Task _lastAppend = Task.CompletedTask;
    private Task _checkpoint = Task.CompletedTask;
    private long _recordsSinceCheckpoint;
    private long _bytesSinceCheckpoint;
    private Exception? _stoppedBy;
    private string _siloAddress = "";
    private readonly MasterLease? _lease;

    /// <param name="lease">Without one (unit tests, a host that keeps none) the master answers until it is stopped.</param>
    public MasterService(IJournal journal, MasterOptions options, JournalOptions journalOptions, TimeProvider time,
        IBlockFreer? blockFreer, ILogger logger, ILineageJobValidator? lineageJobs = null, MasterLease? lease = null)
    {
        _lease = lease;
        _lineageJobs = lineageJobs ?? new RefuseCommandLineJobValidator();
        _journal = journal;
        _options = options;
        _journalOptions = journalOptions;
        _time = time;
        _blockFreer = blockFreer;
        _logger = logger;
        _machine = MasterStateMachine.Empty(options);
    }

    /// <summary>Raised once when the master stops serving (fenced, or the journal failed); the host deactivates.</summary>
    public event Action? Stopped;
    /// <summary>Raised in the same synchronous step as every journal append: the state and <see cref="Position"/> just moved.</summary>
    public event Action? Appended;

    public MasterState State => _machine.State;
    public RetryCache Retry => _machine.Retry;
    public IJournal Journal => _journal;
    /// <summary>
    /// Where the state in memory stands: this master's epoch and the last sequence appended, whether or not its
    /// batch is fsynced yet (reads see applied changes, as in HDFS). Read in the same turn as the state it describes.
    /// </summary>
    public JournalPosition Position => new(_journal.Epoch, _journal.LastSequence);
    public DateTimeOffset ActiveSince { get; private set; }
    public TimeSpan RecoveryDuration { get; private set; }

    /// <summary>
    /// Loads the checkpoint, replays the log, journals the takeover; only then may calls come in.
    /// <paramref name="inspectPrevious"/> tells why the previous master (the last journaled takeover) went away.
    /// </summary>
    public async Task<JournalRecoveryResult> RecoverAsync(string siloAddress, CancellationToken cancellationToken,
        Func<MasterTakeover?, Task<TakeoverDetection>>? inspectPrevious = null, StandbyState? standby = null)
    {
        var clock = Stopwatch.StartNew();
        _siloAddress = siloAddress;
        JournalResume? resume = null;
        if (standby is not null)
        {
            _machine = standby.Machine;
            resume = new JournalResume(standby.LastSequence, standby.LastSequenceByEpoch,
                () => _machine = MasterStateMachine.Empty(_options));
        }
        var recovery = await _journal.RecoverAsync(
            (stream, ct) =>
            {
                _machine = MasterStateMachine.Load(stream, _options, ct);
                return Task.CompletedTask;
            },
            record => _machine.Replay(record),
            cancellationToken,
            resume);
        RecoveryDuration = clock.Elapsed;
        ActiveSince = _time.GetUtcNow();
        _recordsSinceCheckpoint = recovery.LastSequence - recovery.CheckpointSequence;

        var takeovers = _machine.State.Takeovers;
        var previous = takeovers.Count > 0 ? takeovers[^1] : null;
        var detection = await InspectPrevious(inspectPrevious, previous);
        var takeover = new TakeoverEntry(Guid.NewGuid(), ActiveSince.ToUnixTimeMilliseconds(), recovery.Epoch, siloAddress,
            previous?.SiloAddress, (long)RecoveryDuration.TotalMicroseconds, recovery.RecordsReplayed,
            Milliseconds(detection.Detection), detection.Cause, Milliseconds(detection.FromFirstVote));
        _machine.Apply(takeover);
        // Not awaited: the record only feeds the timeline, and the epoch is already sealed and fenced. Any later
        // mutation is journaled after it, so its acknowledgement waits for this record's durability too.
        _ = ObserveTakeoverAppend(Append(takeover));

        // The one line per takeover an operator looks for.
        LogTakeover(_logger,
            recovery.Epoch, siloAddress, previous?.SiloAddress ?? "none", detection.Cause,
            (object?)takeover.DetectionMilliseconds ?? "(null)", detection.FirstSign, (object?)takeover.FromFirstVoteMilliseconds ?? "(null)",
            RecoveryDuration.TotalMilliseconds, _machine.State.Inodes.Count,
            recovery.ResumedFrom is { } from ? $"warm standby at sequence {from}" : $"checkpoint at sequence {recovery.CheckpointSequence}",
            recovery.RecordsReplayed,
            recovery.TornBytesTruncated, _journal.Stats.Kind, _journal.Stats.Location);
        Metrics.SiloInstruments.Takeovers.Add(1, new KeyValuePair<string, object?>("cause", detection.Cause.ToString()));
        return recovery;
    }

    private static long? Milliseconds(TimeSpan? duration) => duration is { } d ? (long)Math.Round(d.TotalMilliseconds) : null;

    private async Task ObserveTakeoverAppend(Task durable)
    {
        try { await durable; } catch { /* Append has stopped this master and logged why */ }
    }

    private async Task<TakeoverDetection> InspectPrevious(Func<MasterTakeover?, Task<TakeoverDetection>>? inspect, MasterTakeover? previous)
    {
        if (previous is null) return TakeoverDetection.FirstStart;
        if (inspect is null) return TakeoverDetection.NotKnown("not inspected");
        try
        {
            return await inspect(previous);
        }
        catch (Exception error)
        {
            // The timeline loses one figure; the takeover itself must not fail over it.
            LogPreviousMasterUnknown(_logger, error, previous.SiloAddress, error.Message);
            return TakeoverDetection.NotKnown(error.Message);
        }
    }

    // ---- mutations ----

    public async Task<FileStatus> CreateDirectory(string path, bool recursive, Guid requestId)
    {
        var result = await Mutate(new CreateDirectoryEntry(CheckRequestId(requestId, path), NowMs(), path ?? "", recursive));
        return result.Unwrap()!;
    }

    public async Task<FileStatus> CreateFile(string path, CreateFileOptions options, Guid requestId)
    {
        options ??= new CreateFileOptions();
        var result = await Mutate(CreateFileEntry.From(CheckRequestId(requestId, path), NowMs(), path ?? "", options));
        return result.Unwrap()!;
    }

    public async Task<FileStatus> CompleteFile(string path, long length, Guid requestId)
    {
        var result = await Mutate(new CompleteFileEntry(CheckRequestId(requestId, path), NowMs(), path ?? "", length));
        return result.Unwrap()!;
    }

    public async Task Delete(string path, bool recursive, Guid requestId)
    {
        var result = await Mutate(new DeleteEntry(CheckRequestId(requestId, path), NowMs(), path ?? "", recursive));
        result.Unwrap();
    }

    public async Task Rename(string source, string destination, Guid requestId)
    {
        var result = await Mutate(new RenameEntry(CheckRequestId(requestId, source), NowMs(), source ?? "", destination ?? ""));
        result.Unwrap();
    }

    public async Task<FileStatus> SetAttribute(string path, SetAttributeOptions options, Guid requestId)
    {
        options ??= new SetAttributeOptions();
        var result = await Mutate(SetAttributeEntry.From(CheckRequestId(requestId, path), NowMs(), path ?? "", options));
        return result.Unwrap()!;
    }

    /// <summary>Journals that these cleanup tasks are done, so no later master runs them again.</summary>
    public async Task CompleteCleanups(IReadOnlyList<Guid> taskIds)
    {
        var result = await Mutate(new CleanupDoneEntry(Guid.NewGuid(), NowMs(), taskIds));
        result.Unwrap();
    }

    /// <summary>Journals what a metadata sync found in the under-storage directory and the namespace lacks.</summary>
    public async Task LoadMetadata(string directory, long blockSizeBytes, IReadOnlyList<LoadedChild> children)
    {
        var result = await Mutate(new LoadMetadataEntry(Guid.NewGuid(), NowMs(), directory, blockSizeBytes, children));
        result.Unwrap();
    }

    // ---- lineage ----

    /// <summary>
    /// Records a lineage (see <see cref="NamespaceChange"/>'s checks). The job is checked by the validator before
    /// anything is journaled, except for a retry of a request already applied: that one gets its first answer.
    /// </summary>
    public async Task<LineageInfo> CreateLineage(CreateLineageRequest request, Guid requestId)
    {
        ThrowIfStopped();
        if (request?.Job is null) throw FsException.InvalidArgument(null, "a lineage needs a job");
        CheckRequestId(requestId, null);
        bool retried = _machine.TryGetRetry(requestId, NowMs(), out _);
        if (!retried) _lineageJobs.Validate(request.Job);
        var entry = new CreateLineageEntry(requestId, NowMs(), request.Inputs ?? [], request.Outputs ?? [], request.Job.ToData(), request.Run);
        var result = await Mutate(entry);
        result.Unwrap();
        long id = result.LineageId ?? throw FsException.InvalidArgument(null, $"request id {requestId} already answered another kind of request");
        // Deleted meanwhile (calls interleave while this one waits for the journal): the id is still the answer.
        var info = _machine.GetLineage(id) ?? new LineageInfo { Id = id };
        if (!retried) LogLineageCreated(_logger, id, info.Inputs.Length, info.Outputs.Length, request.Job.Describe(), request.Run);
        return info;
    }

    public async Task DeleteLineage(long id, bool cascade, Guid requestId)
    {
        var result = await Mutate(new DeleteLineageEntry(CheckRequestId(requestId, null), NowMs(), id, cascade));
        result.Unwrap();
        LogLineageDeleted(_logger, id, cascade);
    }

    public async Task RecordLineageRun(long id, LineageRun run, Guid requestId)
    {
        if (run is null) throw FsException.InvalidArgument(null, "no run to record");
        var result = await Mutate(new LineageRunEntry(CheckRequestId(requestId, null), NowMs(), id, run.ToData()));
        result.Unwrap();
    }

    public async Task RecordLineageChecksum(long id, string path, ulong checksum, Guid requestId)
    {
        var result = await Mutate(new LineageChecksumEntry(CheckRequestId(requestId, path), NowMs(), id, path ?? "", checksum));
        result.Unwrap();
    }

    public LineageInfo? GetLineage(long id)
    {
        ThrowIfStopped();
        return _machine.GetLineage(id);
    }

    public IReadOnlyList<LineageInfo> ListLineages()
    {
        ThrowIfStopped();
        return _machine.ListLineages();
    }

    public LineageInfo? GetLineageOfFile(string path)
    {
        ThrowIfStopped();
        return _machine.GetLineageOfFile(path);
    }

    // ---- queries ----

    public FileStatus GetStatus(string path)
    {
        ThrowIfStopped();
        return _machine.GetStatus(path);
    }

    public IReadOnlyList<FileStatus> ListStatus(string path, bool recursive)
    {
        ThrowIfStopped();
        return _machine.ListStatus(path, recursive);
    }

    /// <summary>One page of a listing, with the journal sequence the namespace it was read from had reached.</summary>
    public ListingPage ListStatusPage(string path, ListingRequest request)
    {
        ThrowIfStopped();
        var position = Position;
        return _machine.ListStatusPage(path, request) with { JournalSequence = position.Sequence, Journal = position };
    }

    public MasterInfo GetInfo()
    {
        // Which silo is the master and at what epoch is a read like any other: not answered without the lease.
        if (_lease is { IsHeld: false }) throw LeaseLapsed(_lease);
        var stats = _journal.Stats;
        var state = _machine.State;
        return new MasterInfo
        {
            SiloAddress = _siloAddress,
            Epoch = _journal.Epoch,
            ActiveSince = ActiveSince,
            FileCount = state.FileCount,
            DirectoryCount = state.DirectoryCount,
            JournalSequence = stats.LastSequence,
            LastCheckpointSequence = stats.LastCheckpointSequence,
            LastCheckpointTime = stats.LastCheckpointTime,
            RecoveryDuration = RecoveryDuration,
            JournalKind = stats.Kind,
            JournalLocation = stats.Location,
            JournalFlushes = stats.Flushes,
        };
    }

    public IReadOnlyList<MasterTakeover> GetTakeovers() => _machine.State.Takeovers;

    /// <summary>
    /// Everything up to the journal append runs synchronously: no other call can interleave between the
    /// retry check, the change to memory and the append, so journal order is apply order.
    /// </summary>
    private Task<CachedResult> Mutate(MasterEntry entry)
    {
        ThrowIfStopped();
        if (_machine.TryGetRetry(entry.RequestId, entry.TimeMs, out var first))
            return AfterDurable(_lastAppend, first);
        MasterEntry journaled = entry;
        CachedResult result;
        try
        {
            result = _machine.Apply(entry);
        }
        catch (FsException error)
        {
            // Journaled too, so a retry after a failover gets the same error, not a second attempt.
            journaled = OperationFailedEntry.From(entry, error);
            result = _machine.Apply(journaled);
        }
        return AfterDurable(Append(journaled), result);
    }

    private static async Task<CachedResult> AfterDurable(Task durable, CachedResult result)
    {
        await durable;
        return result;
    }

    private Task Append(MasterEntry entry)
    {
        byte[] buffer = MasterEntryCodec.Encode(entry, out int length);
        Task<long> append;
        try
        {
            append = _journal.Append((ushort)entry.Type, buffer.AsMemory(0, length));
        }
        catch (Exception error)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw Stop(error);
        }
        _recordsSinceCheckpoint++;
        _bytesSinceCheckpoint += length;
        var durable = AwaitDurable(append, buffer);
        _lastAppend = durable;
        Appended?.Invoke();
        MaybeStartCheckpoint(durable);
        return durable;
    }

    private async Task AwaitDurable(Task<long> append, byte[] buffer)
    {
        try
        {
            await append;
        }
        catch (Exception error)
        {
            // Memory is now ahead of the journal: this master must not answer again.
            throw Stop(error);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private FsException Stop(Exception error)
    {
        if (_stoppedBy is null)
        {
            _stoppedBy = error;
            if (error is FsException { Code: FsErrorCode.Fenced })
                LogFenced(_logger, error, _journal.Epoch, error.Message);
            else
                LogJournalFailed(_logger, error, _journal.Epoch);
            Stopped?.Invoke();
        }
        return Unavailable();
    }

    private void ThrowIfStopped()
    {
        if (_stoppedBy is not null) throw Unavailable();
        if (_lease is { IsHeld: false }) throw LeaseLapsed(_lease);
    }

    /// <summary>Stops serving for a reason the caller has logged (the lease keeper: superseded, or lapsed too long); the host deactivates.</summary>
    public void StepDown(FsException reason)
    {
        if (_stoppedBy is not null) return;
        _stoppedBy = reason;
        Stopped?.Invoke();
    }

    private FsException LeaseLapsed(MasterLease lease) =>
        FsException.Unavailable($"the master (epoch {_journal.Epoch}) could not confirm within its {lease.Length.TotalMilliseconds:0} ms lease " +
                                "that it is still the master; retry to reach the current master");

    private FsException Unavailable() =>
        FsException.Unavailable($"the master (epoch {_journal.Epoch}) stopped serving ({_stoppedBy?.Message}); retry to reach the new master");

    private static Guid CheckRequestId(Guid requestId, string? path) =>
        requestId != Guid.Empty ? requestId : throw FsException.InvalidArgument(path, "a mutating request needs a request id");

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    // ---- checkpoints ----

    /// <summary>Takes a checkpoint now (unless one is running) and waits for it.</summary>
    public Task CheckpointAsync()
    {
        ThrowIfStopped();
        if (_checkpoint.IsCompleted) StartCheckpoint(_lastAppend);
        return _checkpoint;
    }

    private void MaybeStartCheckpoint(Task durable)
    {
        if (!_checkpoint.IsCompleted) return;
        if (_recordsSinceCheckpoint < _journalOptions.CheckpointRecords && _bytesSinceCheckpoint < _journalOptions.CheckpointBytes) return;
        StartCheckpoint(durable);
    }

    private void StartCheckpoint(Task durable)
    {
        // The state is immutable: this reference is the namespace exactly as of the journal's last sequence.
        var snapshot = _machine.State;
        var retry = _machine.Retry.Snapshot();
        long sequence = _journal.LastSequence;
        _recordsSinceCheckpoint = 0;
        _bytesSinceCheckpoint = 0;
        _checkpoint = Task.Run(() => WriteCheckpoint(snapshot, retry, sequence, durable));
    }

    private async Task WriteCheckpoint(MasterState snapshot, RetryCacheSnapshot retry, long sequence, Task durable)
    {
        try
        {
            // Never checkpoint a record that might not reach the log.
            await durable;
            var clock = Stopwatch.StartNew();
            await _journal.WriteCheckpointAsync(sequence, (stream, ct) =>
            {
                CheckpointCodec.Write(snapshot, retry, stream, ct);
                return Task.CompletedTask;
            }, _stopping.Token);
            LogCheckpointWritten(_logger, sequence, snapshot.Inodes.Count, clock.Elapsed.TotalMilliseconds);
        }
        catch (Exception error)
        {
            LogCheckpointFailed(_logger, error, sequence);
        }
    }

    // ---- TTL ----

    /// <summary>Applies the TTL action of every inode whose TTL ran out; called by the host's timer.</summary>
    public async Task CheckTtlAsync(CancellationToken cancellationToken)
    {
        if (_stoppedBy is not null) return;
        foreach (var (expired, _) in _machine.ExpiredTtl(NowMs()))
        {
            // Earlier actions in this pass may have removed or moved it.
            string? path = _machine.PathOf(expired.Id);
            if (path is null || _stoppedBy is not null) continue;
            try
            {
                if (expired.TtlAction == TtlAction.Delete) await ExpireByDelete(path);
                else await ExpireByFree(expired.Id, path, cancellationToken);
            }
            catch (FsException error)
            {
                LogTtlActionFailed(_logger, error, expired.TtlAction, path, error.Message);
            }
        }
    }

    private async Task ExpireByDelete(string path)
    {
        var result = await Mutate(new DeleteEntry(Guid.NewGuid(), NowMs(), path, Recursive: true));
        result.Unwrap();
        LogTtlDeleted(_logger, path);
    }

    private async Task ExpireByFree(long inodeId, string path, CancellationToken cancellationToken)
    {
        var status = _machine.State.Inodes[inodeId].ToStatus(path);
        if (_blockFreer is null)
            LogTtlFreeWithoutFreer(_logger, path);
        else
            await _blockFreer.FreeAsync(status, cancellationToken);
        path = _machine.PathOf(inodeId) ?? path;
        // The TTL is cleared afterwards, as Alluxio does, so the action runs once.
        var result = await Mutate(new SetAttributeEntry(Guid.NewGuid(), NowMs(), path, null, -1, null, null, false));
        result.Unwrap();
        LogTtlFreed(_logger, path);
    }

    /// <summary>Waits for outstanding appends and the running checkpoint, then closes the journal (flushing it).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await IgnoreFailure(_lastAppend);
        await IgnoreFailure(_checkpoint);
        await _journal.DisposeAsync();
        _stopping.Dispose();
    }

    private static async Task IgnoreFailure(Task task)
    {
        try { await task; } catch { /* logged where it failed */ }
    }

    // docs/operations.md shows this line. Over six values the generated formatter prints null as nothing, so an
    // unknown detection is passed as "(null)", the text this line has always had.
    [LoggerMessage(EventId = 1010, Level = LogLevel.Information,
        Message = "Master takeover: epoch {Epoch} on {Silo}, previous master {PreviousSilo} ({Cause}), detection {DetectionMs} ms (from {DetectionStart}; " +
                  "{VoteDetectionMs} ms from first suspicion vote), " +
                  "recovery {RecoveryMs:F0} ms: {Inodes} inodes, {RecoveredFrom}, {RecordsReplayed} records replayed, {TornBytes} torn bytes cut; " +
                  "journal {JournalKind} {JournalLocation}")]
    private static partial void LogTakeover(ILogger logger, long epoch, string silo, string previousSilo, TakeoverCause cause,
        object detectionMs, string detectionStart, object voteDetectionMs, double recoveryMs, int inodes, string recoveredFrom, long recordsReplayed,
        long tornBytes, string journalKind, string journalLocation);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning, Message = "Could not read how the previous master {PreviousSilo} went away: {Reason}")]
    private static partial void LogPreviousMasterUnknown(ILogger logger, Exception exception, string previousSilo, string reason);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Warning, Message = "Master epoch {Epoch} was fenced by a newer master and stops serving: {Reason}")]
    private static partial void LogFenced(ILogger logger, Exception exception, long epoch, string reason);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Error, Message = "Master epoch {Epoch} could not journal and stops serving")]
    private static partial void LogJournalFailed(ILogger logger, Exception exception, long epoch);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Information, Message = "Checkpoint at sequence {Sequence}: {Inodes} inodes in {ElapsedMs:F0} ms")]
    private static partial void LogCheckpointWritten(ILogger logger, long sequence, int inodes, double elapsedMs);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Warning, Message = "Checkpoint at sequence {Sequence} failed; the log keeps everything and a later checkpoint retries")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception, long sequence);

    [LoggerMessage(EventId = 2200, Level = LogLevel.Information, Message = "Lineage {LineageId} recorded: {Inputs} input(s), {Outputs} output(s), job {Job}, run requested {RunRequested}")]
    private static partial void LogLineageCreated(ILogger logger, long lineageId, int inputs, int outputs, string job, bool runRequested);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Lineage {LineageId} deleted (cascade {Cascade}); its outputs stay as plain files")]
    private static partial void LogLineageDeleted(ILogger logger, long lineageId, bool cascade);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Warning, Message = "TTL action {Action} on {Path} failed: {Reason}")]
    private static partial void LogTtlActionFailed(ILogger logger, Exception exception, TtlAction action, string path, string reason);

    [LoggerMessage(EventId = 1021, Level = LogLevel.Information, Message = "TTL expired: deleted {Path}")]
    private static partial void LogTtlDeleted(ILogger logger, string path);

    [LoggerMessage(EventId = 1022, Level = LogLevel.Warning, Message = "TTL expired for {Path} with action Free, but no block freer is registered; only the TTL is cleared")]
    private static partial void LogTtlFreeWithoutFreer(ILogger logger, string path);

    [LoggerMessage(EventId = 1023, Level = LogLevel.Information, Message = "TTL expired: freed {Path}")]
    private static partial void LogTtlFreed(ILogger logger, string path);
}
