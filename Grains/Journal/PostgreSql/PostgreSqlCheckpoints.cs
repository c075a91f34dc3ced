using Microsoft.Extensions.Logging;
using Npgsql;
using OrleansFs.Errors;

namespace OrleansFs.Grains.Journal.PostgreSql;

/// <summary>
/// Checkpoints in their own tables: a header row (<c>ofs_journal_checkpoints</c>) and the body in 1 MiB chunk
/// rows, written in one transaction that also re-checks the fence, so a checkpoint is either whole or absent, and a
/// master that knows it is fenced writes none. Loading validates length and CRC-32C first and skips a damaged one; pruning keeps
/// the newest two (one back in case the newest is damaged) and the records the older of them still needs.
/// </summary>
internal static partial class PostgreSqlCheckpoints
{
    /// <summary>Writes the checkpoint; <paramref name="beforeCommit"/> runs last inside the transaction (the durability wait).</summary>
    public static async Task<long> WriteAsync(NpgsqlDataSource dataSource, long asOfSequence, long epoch,
        Func<Stream, CancellationToken, Task> write, Func<Task> beforeCommit, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, "DELETE FROM ofs_journal_checkpoint_chunks WHERE seq = $1", asOfSequence, cancellationToken);
        await ExecuteAsync(connection, "DELETE FROM ofs_journal_checkpoints WHERE seq = $1", asOfSequence, cancellationToken);
        await using var chunks = new PostgreSqlCheckpointWriteStream(connection, asOfSequence);
        var body = new ChecksummingWriteStream(chunks);
        await write(body, cancellationToken);
        await chunks.CompleteAsync(cancellationToken);
        await beforeCommit();
        // The fence is checked without locking it: a lock held until this transaction's COMMIT (another round trip)
        // would let a master paused right there block every newer master's epoch UPDATE. A checkpoint that slips in
        // just after a takeover is still right: every record it covers was committed, fenced, before it.
        await using (var header = new NpgsqlCommand("""
            INSERT INTO ofs_journal_checkpoints (seq, epoch, body_length, body_crc, chunks)
            SELECT $1, $2, $3, $4, $5 FROM ofs_journal_fence WHERE id = 1 AND epoch = $2
            """, connection))
        {
            header.Parameters.Add(new NpgsqlParameter<long> { TypedValue = asOfSequence });
            header.Parameters.Add(new NpgsqlParameter<long> { TypedValue = epoch });
            header.Parameters.Add(new NpgsqlParameter<long> { TypedValue = body.BytesWritten });
            header.Parameters.Add(new NpgsqlParameter<int> { TypedValue = unchecked((int)body.Checksum) });
            header.Parameters.Add(new NpgsqlParameter<int> { TypedValue = chunks.Chunks });
            if (await header.ExecuteNonQueryAsync(cancellationToken) != 1)
                throw new FsException(FsErrorCode.Fenced, null, $"journal epoch {epoch} was superseded; checkpoint abandoned");
        }
        await transaction.CommitAsync(cancellationToken);
        return body.BytesWritten;
    }

    /// <summary>Loads the newest valid checkpoint; returns its sequence and when it was written, or (0, null) if none.</summary>
    public static async Task<(long Sequence, DateTimeOffset? WrittenAt)> LoadNewestAsync(NpgsqlDataSource dataSource,
        Func<Stream, CancellationToken, Task> load, ILogger logger, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var (sequence, writtenAt, problem) in await PostgreSqlJournalReader.ReadCheckpointsAsync(connection, cancellationToken))
        {
            if (problem is not null)
            {
                LogDamagedCheckpoint(logger, sequence, problem);
                continue;
            }
            await using (Stream body = await PostgreSqlJournalReader.OpenCheckpointAsync(connection, sequence, cancellationToken))
                await load(body, cancellationToken);
            return (sequence, writtenAt);
        }
        return (0, null);
    }

    /// <summary>Deletes checkpoints older than the newest two and the records the second-newest covers. Returns what went.</summary>
    public static async Task<(int Checkpoints, int Records)> PruneAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var keep = new NpgsqlCommand("SELECT seq FROM ofs_journal_checkpoints ORDER BY seq DESC OFFSET 1 LIMIT 1", connection);
        if (await keep.ExecuteScalarAsync(cancellationToken) is not long keepFrom) return (0, 0);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, "DELETE FROM ofs_journal_checkpoint_chunks WHERE seq < $1", keepFrom, cancellationToken);
        int checkpoints = await ExecuteAsync(connection, "DELETE FROM ofs_journal_checkpoints WHERE seq < $1", keepFrom, cancellationToken);
        int records = await ExecuteAsync(connection, "DELETE FROM ofs_journal_records WHERE seq <= $1", keepFrom, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (checkpoints, records);
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, long value, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = value });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 1164, Level = LogLevel.Warning, Message = "Skipping damaged checkpoint at sequence {Sequence} in PostgreSQL: {Problem}")]
    private static partial void LogDamagedCheckpoint(ILogger logger, long sequence, string problem);
}
