using Microsoft.Extensions.Logging;
using Npgsql;
using OrleansFs.Errors;

namespace OrleansFs.Grains.Journal.PostgreSql;

/// <summary>
/// The journal in PostgreSQL tables (deploy/sql/journal/): epochs and seals through <see cref="PostgreSqlEpochStore"/>,
/// records through <see cref="PostgreSqlGroupCommitWriter"/> (each batch one transaction that re-checks the fence),
/// checkpoints through <see cref="PostgreSqlCheckpoints"/>; the recovery order and the rest of the contract
/// (see <see cref="IJournal"/>) are <see cref="JournalBase"/>'s. A batch cannot be half-committed, so there is no
/// torn tail to cut, but damage is still found by dense sequences and checksums.
/// </summary>
public sealed partial class PostgreSqlJournal : JournalBase
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _location;
    private readonly ILogger _logger;
    private readonly Func<CancellationToken, Task>? _ensureSchema;

    /// <param name="location">Where the journal is, for logs and stats (no credentials).</param>
    /// <param name="ensureSchema">Creates the tables if missing; awaited before recovery touches them.</param>
    public PostgreSqlJournal(NpgsqlDataSource dataSource, string location, ILogger<PostgreSqlJournal> logger,
        Func<CancellationToken, Task>? ensureSchema = null)
        : base(new PostgreSqlEpochStore(dataSource, location), "PostgreSql", location)
    {
        _dataSource = dataSource;
        _location = location;
        _logger = logger;
        _ensureSchema = ensureSchema;
    }

    /// <summary>An Npgsql exception cannot even cross to the client; a database that is down reads as Unavailable.</summary>
    private protected override Exception? RecoveryFailure(Exception exception) =>
        exception is NpgsqlException ? FsException.Unavailable($"cannot reach the PostgreSQL journal at {Epochs.Location}: {exception.Message}") : null;

    private protected override Task PrepareAsync(CancellationToken cancellationToken) =>
        _ensureSchema is null ? Task.CompletedTask : _ensureSchema(cancellationToken);

    private protected override async Task<(JournalReplay? Replay, string? Refused)> TryResumeAsync(IReadOnlyList<EpochInfo> epochs,
        JournalResume resume, Action<JournalRecord> apply, CancellationToken cancellationToken)
    {
        if (await FirstRecordAfterIsMissingAsync(resume.LastSequence, cancellationToken))
            return (null, $"the records after sequence {resume.LastSequence} were pruned");
        var counter = new ReplayCounter(apply);
        long last = await ReplayRecordsAsync(epochs, resume.LastSequence, counter.Apply, cancellationToken);
        var (newest, writtenAt) = await NewestCheckpointAsync(cancellationToken);
        return (counter.Replayed(Math.Min(newest, resume.LastSequence), writtenAt, resume.LastSequence, last), null);
    }

    private protected override async Task<JournalReplay> ReplayFromCheckpointAsync(IReadOnlyList<EpochInfo> epochs,
        Func<Stream, CancellationToken, Task> loadCheckpoint, Action<JournalRecord> apply, CancellationToken cancellationToken)
    {
        var (checkpoint, writtenAt) = await PostgreSqlCheckpoints.LoadNewestAsync(_dataSource, loadCheckpoint, _logger, cancellationToken);
        var counter = new ReplayCounter(apply);
        long last = await ReplayRecordsAsync(epochs, checkpoint, counter.Apply, cancellationToken);
        return counter.Replayed(checkpoint, writtenAt, null, last);
    }

    /// <summary>Counts what replay applied; a batch cannot be half-committed, so there is never a torn tail.</summary>
    private sealed class ReplayCounter(Action<JournalRecord> apply)
    {
        private long _records;
        private long _bytes;

        public void Apply(JournalRecord record)
        {
            apply(record);
            _records++;
            _bytes += RecordFrame.FrameSize(record.Payload.Length);
        }

        public JournalReplay Replayed(long checkpoint, DateTimeOffset? writtenAt, long? resumedFrom, long last) =>
            new(checkpoint, writtenAt, resumedFrom, last, _records, _bytes, TornBytes: 0);
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

    private protected override GroupCommitQueue StartWriter(long lastSequence) =>
        new PostgreSqlGroupCommitWriter(_dataSource, Epoch, lastSequence, _location, _logger);

    /// <remarks>The fence is re-checked inside the checkpoint's transaction.</remarks>
    private protected override Task<long> StoreCheckpointAsync(long asOfSequence, Func<Stream, CancellationToken, Task> write,
        Func<Task> waitDurable, CancellationToken cancellationToken) =>
        PostgreSqlCheckpoints.WriteAsync(_dataSource, asOfSequence, Epoch, write, waitDurable, cancellationToken);

    private protected override async Task PruneAsync(CancellationToken cancellationToken)
    {
        var (checkpoints, records) = await PostgreSqlCheckpoints.PruneAsync(_dataSource, cancellationToken);
        if (checkpoints + records > 0)
            LogPruned(_logger, checkpoints, records);
    }

    private protected override void OnRecovered(JournalRecoveryResult result, string start) =>
        LogRecovered(_logger, _location, result.Epoch, start, result.RecordsReplayed, result.LastSequence, (long)result.Duration.TotalMilliseconds);

    private protected override void OnStandbyStateRefused(long sequence, string? reason) => LogStandbyStateRefused(_logger, sequence, reason);

    private protected override void OnCheckpointWritten(long sequence, long bytes) => LogCheckpointWritten(_logger, sequence, bytes);

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
