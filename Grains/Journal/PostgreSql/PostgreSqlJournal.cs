using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;
using OrleansFs.Errors;

namespace OrleansFs.Grains.Journal.PostgreSql;

/// <summary>
/// The journal in PostgreSQL tables (deploy/sql/journal/): epochs and seals through <see cref="PostgreSqlEpochStore"/>,
/// records through <see cref="PostgreSqlGroupCommitWriter"/> (each batch one transaction that re-checks the fence),
/// checkpoints through <see cref="PostgreSqlCheckpoints"/>. Same contract and same recovery order as
/// <see cref="DirectoryJournal"/> (see <see cref="IJournal"/>); a batch cannot be half-committed, so there is no
/// torn tail to cut, but damage is still found by dense sequences and checksums.
/// </summary>
public sealed partial class PostgreSqlJournal : IJournal
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgreSqlEpochStore _epochs;
    private readonly ILogger _logger;
    private readonly Func<CancellationToken, Task>? _ensureSchema;
    private readonly SemaphoreSlim _checkpointGate = new(1, 1);
    private PostgreSqlGroupCommitWriter? _writer;
    private long _recoveredSequence;
    private long _lastCheckpointSequence;
    private DateTimeOffset? _lastCheckpointTime;
    private long _bytesAtCheckpoint;
    private long _replayedBytes;

    /// <param name="location">Where the journal is, for logs and stats (no credentials).</param>
    /// <param name="ensureSchema">Creates the tables if missing; awaited before recovery touches them.</param>
    public PostgreSqlJournal(NpgsqlDataSource dataSource, string location, ILogger<PostgreSqlJournal> logger,
        Func<CancellationToken, Task>? ensureSchema = null)
    {
        _dataSource = dataSource;
        _epochs = new PostgreSqlEpochStore(dataSource, location);
        _logger = logger;
        _ensureSchema = ensureSchema;
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
                Kind = "PostgreSql",
                Location = _epochs.Location,
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
        try
        {
            return await RecoverFromTablesAsync(loadCheckpoint, apply, resume, cancellationToken);
        }
        catch (NpgsqlException e)
        {
            // The master's activation fails with this and the next call activates it again: the client must see a
            // retryable Unavailable naming PostgreSQL (an Npgsql exception cannot even cross to the client).
            throw FsException.Unavailable($"cannot reach the PostgreSQL journal at {_epochs.Location}: {e.Message}");
        }
    }

    private async Task<JournalRecoveryResult> RecoverFromTablesAsync(Func<Stream, CancellationToken, Task> loadCheckpoint,
        Action<JournalRecord> apply, JournalResume? resume, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        if (_ensureSchema is not null) await _ensureSchema(cancellationToken);
        // Fencing order, as in the directory journal: take the epoch first, then read the records, then seal, then serve.
        Epoch = await _epochs.TakeNextAsync(cancellationToken);
        IReadOnlyList<EpochInfo> epochs = await _epochs.ReadAllAsync(cancellationToken);
        (long checkpoint, long? resumedFrom, long last, long records) = await ReplayAsync(epochs, loadCheckpoint, apply, resume, cancellationToken);
        await _epochs.SealAsync(Epoch, last, cancellationToken);
        if (await _epochs.IsSupersededAsync(Epoch, cancellationToken))
            throw new FsException(FsErrorCode.Fenced, null, $"journal epoch {Epoch} was superseded during recovery");
        _recoveredSequence = last;
        _lastCheckpointSequence = checkpoint;
        _writer = new PostgreSqlGroupCommitWriter(_dataSource, Epoch, last, _epochs.Location, _logger);
        var result = new JournalRecoveryResult(Epoch, checkpoint, records, last, 0, Stopwatch.GetElapsedTime(started), resumedFrom);
        LogRecovered(_logger,
            _epochs.Location, Epoch, resumedFrom is { } from ? $"resumed a standby state at sequence {from}" : $"checkpoint {checkpoint}",
            result.RecordsReplayed, result.LastSequence, (long)result.Duration.TotalMilliseconds);
        return result;
    }

    /// <summary>
    /// Replays the records after the offered state if it is still effective, otherwise (or if the records after it
    /// are gone) after the newest valid checkpoint. Returns that checkpoint, the last sequence and the records replayed.
    /// </summary>
    private async Task<(long Checkpoint, long? ResumedFrom, long Last, long Records)> ReplayAsync(IReadOnlyList<EpochInfo> epochs,
        Func<Stream, CancellationToken, Task> loadCheckpoint, Action<JournalRecord> apply, JournalResume? resume,
        CancellationToken cancellationToken)
    {
        long records = 0;
        Action<JournalRecord> counted = record =>
        {
            apply(record);
            records++;
            _replayedBytes += RecordFrame.FrameSize(record.Payload.Length);
        };
        if (resume is not null)
        {
            string? refused = resume.WhyNotEffective(epochs);
            if (refused is null && await FirstRecordAfterIsMissingAsync(resume.LastSequence, cancellationToken))
                refused = $"the records after sequence {resume.LastSequence} were pruned";
            if (refused is null)
            {
                long last = await ReplayRecordsAsync(epochs, resume.LastSequence, counted, cancellationToken);
                var (newest, writtenAt) = await NewestCheckpointAsync(cancellationToken);
                _lastCheckpointTime = writtenAt;
                return (Math.Min(newest, resume.LastSequence), resume.LastSequence, last, records);
            }
            LogStandbyStateRefused(_logger, resume.LastSequence, refused);
            resume.Reject();
        }
        var (checkpoint, checkpointTime) = await PostgreSqlCheckpoints.LoadNewestAsync(_dataSource, loadCheckpoint, _logger, cancellationToken);
        _lastCheckpointTime = checkpointTime;
        long lastSequence = await ReplayRecordsAsync(epochs, checkpoint, counted, cancellationToken);
        return (checkpoint, null, lastSequence, records);
    }

    private async Task<long> ReplayRecordsAsync(IReadOnlyList<EpochInfo> epochs, long after, Action<JournalRecord> apply,
        CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await PostgreSqlJournalReader.ReadRecordsAsync(connection, epochs, after, dense: true, int.MaxValue, apply, cancellationToken);
    }

    /// <summary>True when records exist after <paramref name="sequence"/> but not <paramref name="sequence"/>+1 itself (pruned).</summary>
    private async Task<bool> FirstRecordAfterIsMissingAsync(long sequence, CancellationToken cancellationToken)
    {
        await using NpgsqlCommand command = _dataSource.CreateCommand("SELECT min(seq) FROM ofs_journal_records WHERE seq > $1");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = sequence });
        return await command.ExecuteScalarAsync(cancellationToken) is long first && first != sequence + 1;
    }

    private async Task<(long Sequence, DateTimeOffset? WrittenAt)> NewestCheckpointAsync(CancellationToken cancellationToken)
    {
        await using NpgsqlCommand command = _dataSource.CreateCommand("SELECT seq, written_at FROM ofs_journal_checkpoints ORDER BY seq DESC LIMIT 1");
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1)) : (0, null);
    }

    public Task<long> Append(ushort type, ReadOnlyMemory<byte> payload) =>
        _writer is { } writer
            ? writer.Append(type, payload.Span)
            : Task.FromException<long>(new InvalidOperationException("the journal must be recovered before appending"));

    public async Task WriteCheckpointAsync(long asOfSequence, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        PostgreSqlGroupCommitWriter writer = _writer ?? throw new InvalidOperationException("the journal must be recovered before checkpointing");
        if (asOfSequence < 0 || asOfSequence > writer.LastSequence)
            throw FsException.InvalidArgument(null, $"checkpoint sequence {asOfSequence} is outside 0..{writer.LastSequence}");
        await _checkpointGate.WaitAsync(cancellationToken);
        try
        {
            long bytesAtStart = writer.BytesAppended;
            // A checkpoint must never run ahead of what the log holds durably, nor come from a fenced master
            // (the fence is re-checked inside the checkpoint's transaction).
            long size = await PostgreSqlCheckpoints.WriteAsync(_dataSource, asOfSequence, Epoch, write,
                () => writer.WaitDurableAsync(asOfSequence), cancellationToken);
            _lastCheckpointSequence = asOfSequence;
            _lastCheckpointTime = DateTimeOffset.UtcNow;
            _bytesAtCheckpoint = _replayedBytes + bytesAtStart;
            LogCheckpointWritten(_logger, asOfSequence, size);
            var (checkpoints, records) = await PostgreSqlCheckpoints.PruneAsync(_dataSource, cancellationToken);
            if (checkpoints + records > 0)
                LogPruned(_logger, checkpoints, records);
        }
        finally
        {
            _checkpointGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_writer is not null) await _writer.StopAsync();
    }

    [LoggerMessage(EventId = 1160, Level = LogLevel.Information,
        Message = "Journal {Location} recovered in epoch {Epoch}: {Start}, {Records} records replayed, last sequence {LastSequence}, in {Milliseconds} ms")]
    private static partial void LogRecovered(ILogger logger, string location, long epoch, string start, long records, long lastSequence, long milliseconds);

    [LoggerMessage(EventId = 1161, Level = LogLevel.Warning, Message = "Recovering from the newest checkpoint instead of the standby state at sequence {Sequence}: {Reason}")]
    private static partial void LogStandbyStateRefused(ILogger logger, long sequence, string? reason);

    [LoggerMessage(EventId = 1162, Level = LogLevel.Information, Message = "Journal checkpoint as of sequence {Sequence} written to PostgreSQL ({Bytes} bytes)")]
    private static partial void LogCheckpointWritten(ILogger logger, long sequence, long bytes);

    [LoggerMessage(EventId = 1163, Level = LogLevel.Information, Message = "Journal pruned {Checkpoints} checkpoints and {Records} records covered by older checkpoints")]
    private static partial void LogPruned(ILogger logger, int checkpoints, int records);
}
