using System.Buffers;
using System.Data;
using Npgsql;
using OrleansFs.Errors;

namespace OrleansFs.Grains.Journal.PostgreSql;

/// <summary>
/// Reads the PostgreSQL journal's tables: epochs, checkpoints and the effective history of records. Used by
/// recovery, by the warm standby's follower and, read-only, by `ofs journal dump --postgres`. Depends only on
/// Npgsql and the record format (<see cref="JournalRecord"/>, <see cref="EpochInfo"/>, <see cref="Crc32C"/>).
///
/// A batch is one transaction, so a torn or half-committed batch cannot exist; what can still go wrong is a
/// row damaged or deleted by hand or by storage. Sequences must be dense, every checksum must hold, and no
/// record may lie beyond its epoch's seal: otherwise it fails with <see cref="FsErrorCode.JournalCorrupt"/>
/// naming the sequence.
/// </summary>
public static class PostgreSqlJournalReader
{
    /// <summary>Where the journal is, for logs and errors: host, port and database, never the password.</summary>
    public static string LocationOf(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"postgresql://{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
    }

    public static async Task<IReadOnlyList<EpochInfo>> ReadEpochsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT epoch, seal FROM ofs_journal_epochs ORDER BY epoch", connection);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        var epochs = new List<EpochInfo>();
        while (await reader.ReadAsync(cancellationToken))
            epochs.Add(new EpochInfo(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1)));
        return epochs;
    }

    /// <summary>
    /// Hands the effective records after <paramref name="afterSequence"/> to <paramref name="apply"/>, in order, at most
    /// <paramref name="limit"/>. The record's payload points into a reused buffer: valid only during the call.
    /// With <paramref name="dense"/>, the first record must be <paramref name="afterSequence"/>+1 (recovery after a
    /// checkpoint, or a follower); without, the history may start later (the dump, after pruning).
    /// Returns the last sequence handed over (<paramref name="afterSequence"/> if none).
    /// </summary>
    public static async Task<long> ReadRecordsAsync(NpgsqlConnection connection, IReadOnlyList<EpochInfo> epochs,
        long afterSequence, bool dense, int limit, Action<JournalRecord> apply, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT seq, epoch, type, crc, payload FROM ofs_journal_records WHERE seq > $1 ORDER BY seq LIMIT $2", connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterSequence });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            long previous = afterSequence;
            bool first = true;
            while (await reader.ReadAsync(cancellationToken))
            {
                long sequence = reader.GetInt64(0);
                long epoch = reader.GetInt64(1);
                ushort type = checked((ushort)reader.GetInt32(2));
                int crc = reader.GetInt32(3);
                int length = (int)reader.GetBytes(4, 0, null, 0, 0);
                if (buffer.Length < length)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(length);
                }
                reader.GetBytes(4, 0, buffer, 0, length);
                if (sequence != previous + 1 && (dense || !first))
                    throw Corrupt(previous + 1, $"records {previous + 1}..{sequence - 1} are missing (the next one is {sequence})");
                ReadOnlyMemory<byte> payload = buffer.AsMemory(0, length);
                if (PostgreSqlRecordChecksum.Compute(sequence, epoch, type, payload.Span) != crc)
                    throw Corrupt(sequence, "the record checksum does not match");
                long bound = SealBounds.Of(epochs, epoch);
                if (sequence > bound)
                    throw Corrupt(sequence, $"the record of epoch {epoch} lies beyond that epoch's seal at {bound}");
                apply(new JournalRecord(sequence, epoch, type, payload));
                previous = sequence;
                first = false;
            }
            return previous;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Every record still in the table, in order, each with its own payload copy: for the dump.</summary>
    public static async Task<IReadOnlyList<JournalRecord>> ReadAllAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        IReadOnlyList<EpochInfo> epochs = await ReadEpochsAsync(connection, cancellationToken);
        var records = new List<JournalRecord>();
        await ReadRecordsAsync(connection, epochs, 0, dense: false, int.MaxValue,
            record => records.Add(record with { Payload = record.Payload.ToArray() }), cancellationToken);
        return records;
    }

    /// <summary>Checkpoints present, newest first, with whether their checksums hold (null) or why not.</summary>
    public static async Task<IReadOnlyList<(long Sequence, DateTimeOffset WrittenAt, string? Problem)>> ReadCheckpointsAsync(
        NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var headers = new List<(long Sequence, long Length, int Crc, int Chunks, DateTimeOffset WrittenAt)>();
        await using (var command = new NpgsqlCommand(
            "SELECT seq, body_length, body_crc, chunks, written_at FROM ofs_journal_checkpoints ORDER BY seq DESC", connection))
        await using (NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                headers.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2), reader.GetInt32(3),
                    reader.GetFieldValue<DateTimeOffset>(4)));
        }
        var result = new List<(long, DateTimeOffset, string?)>();
        foreach (var header in headers)
            result.Add((header.Sequence, header.WrittenAt, await ValidateAsync(connection, header.Sequence, header.Length, header.Crc, header.Chunks, cancellationToken)));
        return result;
    }

    /// <summary>Opens the body of checkpoint <paramref name="sequence"/> as one stream over its chunks, in order.</summary>
    public static async Task<Stream> OpenCheckpointAsync(NpgsqlConnection connection, long sequence, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand("SELECT chunk, data FROM ofs_journal_checkpoint_chunks WHERE seq = $1 ORDER BY chunk", connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = sequence });
        NpgsqlDataReader reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        return new PostgreSqlCheckpointReadStream(command, reader);
    }

    public static FsException Corrupt(long sequence, string reason) =>
        new(FsErrorCode.JournalCorrupt, null, $"the PostgreSQL journal is damaged at sequence {sequence}: {reason}");

    private static async Task<string?> ValidateAsync(NpgsqlConnection connection, long sequence, long length, int crc, int chunks,
        CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(256 * 1024);
        try
        {
            await using var body = (PostgreSqlCheckpointReadStream)await OpenCheckpointAsync(connection, sequence, cancellationToken);
            uint state = Crc32C.Start;
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                state = Crc32C.Update(state, buffer.AsSpan(0, read));
                total += read;
            }
            if (body.Problem is { } problem) return problem;
            if (body.Chunks != chunks) return $"has {body.Chunks} chunks but its header says {chunks}";
            if (total != length) return $"is {total} bytes but its header says {length}";
            uint computed = Crc32C.Finish(state);
            return unchecked((int)computed) == crc ? null : $"body checksum mismatch (stored {unchecked((uint)crc):x8}, computed {computed:x8})";
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
