using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using OrleansFs.Errors;

namespace OrleansFs.Grains.Journal.PostgreSql;

/// <summary>
/// The PostgreSQL journal's append path: the <see cref="GroupCommitQueue"/> sending each batch as one statement
/// (an implicit transaction, one round trip) that locks the fence row FOR SHARE, inserts the batch through
/// <c>unnest</c> only if the fence still holds this epoch, and NOTIFYs followers. A taker of a newer epoch waits
/// for that lock, so either the batch commits before the new epoch exists (and the new master reads it) or it
/// inserts nothing and fails Fenced: a stale master's write is never acknowledged, even after a long pause.
/// The batch is one statement, so the server runs and commits it without waiting for the client: a master paused
/// mid-batch cannot hold the fence lock and stall a takeover.
/// </summary>
internal sealed partial class PostgreSqlGroupCommitWriter : GroupCommitQueue
{
    public const string Channel = "ofs_journal";
    // One statement of at most about this much; a bigger queue goes out in several (still one round trip each).
    private const int MaxBatchBytes = 16 * 1024 * 1024;
    private const string InsertBatch = """
        WITH fence AS (SELECT epoch FROM ofs_journal_fence WHERE id = 1 FOR SHARE),
             inserted AS (
                 INSERT INTO ofs_journal_records (seq, epoch, type, crc, payload)
                 SELECT r.seq, $1, r.type, r.crc, r.payload
                 FROM unnest($2::bigint[], $3::integer[], $4::integer[], $5::bytea[]) AS r(seq, type, crc, payload), fence
                 WHERE fence.epoch = $1
                 RETURNING seq),
             notified AS (SELECT pg_notify('ofs_journal', max(seq)::text) FROM inserted HAVING count(*) > 0)
        SELECT (SELECT count(*) FROM inserted), (SELECT count(*) FROM notified)
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _location;
    private readonly ILogger _logger;

    public PostgreSqlGroupCommitWriter(NpgsqlDataSource dataSource, long epoch, long lastSequence, string location, ILogger logger)
        : base(epoch, lastSequence, location, MaxBatchBytes)
    {
        _dataSource = dataSource;
        _location = location;
        _logger = logger;
        StartOnThreadPool();
    }

    /// <summary>The batch in one statement and one round trip; false when the fence let nothing in.</summary>
    protected override async ValueTask<bool> WriteBatchAsync(ReadOnlyMemory<byte> frames, long firstSequence, int count)
    {
        var sequences = new long[count];
        var types = new int[count];
        var crcs = new int[count];
        var payloads = new byte[count][];
        ReadColumns(frames.Span, sequences, types, crcs, payloads);
        await using NpgsqlCommand command = _dataSource.CreateCommand(InsertBatch);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = Epoch });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = sequences });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = types });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = crcs });
        command.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = payloads, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return reader.GetInt64(0) == count;
    }

    /// <summary>
    /// Splits frames into the record columns. A row's checksum is exactly the frame's CRC (see
    /// <see cref="PostgreSqlRecordChecksum"/>), so it is read, not recomputed.
    /// </summary>
    private static void ReadColumns(ReadOnlySpan<byte> frames, long[] sequences, int[] types, int[] crcs, byte[][] payloads)
    {
        // RecordFrame: u32 length | u32 crc32c | u64 sequence | u64 epoch | u16 type | payload.
        for (int i = 0; i < sequences.Length; i++)
        {
            int size = (int)BinaryPrimitives.ReadUInt32LittleEndian(frames);
            crcs[i] = BinaryPrimitives.ReadInt32LittleEndian(frames[4..]);
            sequences[i] = BinaryPrimitives.ReadInt64LittleEndian(frames[8..]);
            types[i] = BinaryPrimitives.ReadUInt16LittleEndian(frames[24..]);
            payloads[i] = frames[RecordFrame.HeaderSize..size].ToArray();
            frames = frames[size..];
        }
    }

    protected override Exception WriteFailure(Exception exception) =>
        exception is FsException ? exception : FsException.Unavailable($"journal write to PostgreSQL at {_location} failed: {exception.Message}");

    protected override void OnWriteFailed(Exception exception, long firstSequence) => LogWriteFailed(_logger, exception, firstSequence);

    protected override void OnFenced(long firstSequence) => LogFenced(_logger, Epoch, firstSequence);

    [LoggerMessage(EventId = 1165, Level = LogLevel.Error, Message = "Journal write of sequences from {FirstSequence} to PostgreSQL failed")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, long firstSequence);

    [LoggerMessage(EventId = 1166, Level = LogLevel.Warning, Message = "Journal epoch {Epoch} fenced: refusing sequences from {FirstSequence} on")]
    private static partial void LogFenced(ILogger logger, long epoch, long firstSequence);
}
