using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using OrleansFs.Errors;
using OrleansFs.Grains.Metrics;

namespace OrleansFs.Grains.Journal.PostgreSql;

/// <summary>
/// The append path on PostgreSQL, shaped like <see cref="GroupCommitWriter"/>: <see cref="Append"/> assigns the
/// sequence and queues a copy of the record at once; one writer loop sends everything queued as one statement
/// (an implicit transaction, one round trip) that locks the fence row FOR SHARE, inserts the batch through
/// <c>unnest</c> only if the fence still holds this epoch, and NOTIFYs followers. A taker of a newer epoch waits
/// for that lock, so either the batch commits before the new epoch exists (and the new master reads it) or it
/// inserts nothing and fails Fenced: a stale master's write is never acknowledged, even after a long pause.
/// The batch is one statement, so the server runs and commits it without waiting for the client: a master paused
/// mid-batch cannot hold the fence lock and stall a takeover. Any failure is terminal, as in the directory journal.
/// </summary>
internal sealed partial class PostgreSqlGroupCommitWriter
{
    public const string Channel = "ofs_journal";
    // One statement of at most this much payload; a bigger queue goes out in several (still one round trip each).
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
    private readonly long _epoch;
    private readonly string _location;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Task _loop;

    // Guarded by _gate.
    private List<PostgreSqlPendingRecord> _pending = [];
    private long _lastSequence;
    private long _durableSequence;
    private Task _lastAppend = Task.CompletedTask;
    private long _bytesAppended;
    private bool _writerIdle = true;
    private bool _closing;
    private Exception? _failure;

    // Owned by the writer loop.
    private List<PostgreSqlPendingRecord> _flushing = [];
    private long _flushes;
    private long _lastFlushTicks;

    public PostgreSqlGroupCommitWriter(NpgsqlDataSource dataSource, long epoch, long lastSequence, string location, ILogger logger)
    {
        _dataSource = dataSource;
        _epoch = epoch;
        _location = location;
        _logger = logger;
        _lastSequence = lastSequence;
        _durableSequence = lastSequence;
        _loop = Task.Run(RunAsync);
    }

    public long LastSequence { get { lock (_gate) return _lastSequence; } }
    public long BytesAppended { get { lock (_gate) return _bytesAppended; } }
    public long Flushes => Interlocked.Read(ref _flushes);
    public double LastFlushMilliseconds => TimeSpan.FromTicks(Interlocked.Read(ref _lastFlushTicks)).TotalMilliseconds;

    public Task<long> Append(ushort type, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > RecordFrame.MaxPayloadSize)
            return Task.FromException<long>(FsException.InvalidArgument(null,
                $"journal record of {payload.Length} bytes exceeds the limit of {RecordFrame.MaxPayloadSize}"));
        byte[] copy = payload.ToArray();
        lock (_gate)
        {
            if (_failure is not null) return Task.FromException<long>(_failure);
            if (_closing) return Task.FromException<long>(FsException.Unavailable("the journal is closed"));
            long sequence = ++_lastSequence;
            var waiter = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            _pending.Add(new PostgreSqlPendingRecord(sequence, type, PostgreSqlRecordChecksum.Compute(sequence, _epoch, type, copy), copy, waiter));
            _bytesAppended += RecordFrame.FrameSize(copy.Length);
            _lastAppend = waiter.Task;
            WakeWriter();
            return waiter.Task;
        }
    }

    /// <summary>Completes once every record up to <paramref name="sequence"/> is committed and acknowledged.</summary>
    public Task WaitDurableAsync(long sequence)
    {
        lock (_gate)
        {
            if (_failure is not null) return Task.FromException(_failure);
            return sequence <= _durableSequence ? Task.CompletedTask : _lastAppend;
        }
    }

    /// <summary>Commits what is queued, then stops the loop.</summary>
    public Task StopAsync()
    {
        lock (_gate)
        {
            _closing = true;
            WakeWriter();
        }
        return _loop;
    }

    private void WakeWriter()
    {
        if (!_writerIdle) return;
        _writerIdle = false;
        _wake.Release();
    }

    private async Task RunAsync()
    {
        try
        {
            while (true)
            {
                await _wake.WaitAsync();
                while (TakeBatch()) await FlushAsync();
                lock (_gate) if (_closing && _pending.Count == 0) break;
            }
        }
        finally
        {
            lock (_gate) _failure ??= FsException.Unavailable("the journal is closed");
        }
    }

    /// <summary>Moves up to <see cref="MaxBatchBytes"/> of the queue into the (empty) flushing list. False when idle.</summary>
    private bool TakeBatch()
    {
        lock (_gate)
        {
            if (_pending.Count == 0)
            {
                _writerIdle = true;
                return false;
            }
            long bytes = 0;
            int count = 0;
            while (count < _pending.Count && (count == 0 || bytes + _pending[count].Payload.Length <= MaxBatchBytes))
                bytes += _pending[count++].Payload.Length;
            if (count == _pending.Count)
            {
                (_pending, _flushing) = (_flushing, _pending);
            }
            else
            {
                _flushing.AddRange(_pending.GetRange(0, count));
                _pending.RemoveRange(0, count);
            }
            return true;
        }
    }

    private async Task FlushAsync()
    {
        long started = Stopwatch.GetTimestamp();
        Exception? failure = null;
        try
        {
            if (await InsertAsync() != _flushing.Count)
                failure = new FsException(FsErrorCode.Fenced, null,
                    $"journal epoch {_epoch} was superseded by a newer master in {_location}; this master stops writing");
        }
        catch (Exception ex)
        {
            failure = ex is FsException ? ex : FsException.Unavailable($"journal write to PostgreSQL at {_location} failed: {ex.Message}");
            LogWriteFailed(_logger, ex, _flushing[0].Sequence);
        }
        Interlocked.Increment(ref _flushes);
        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
        Interlocked.Exchange(ref _lastFlushTicks, elapsed.Ticks);
        SiloInstruments.JournalFlushDuration.Record(elapsed.TotalSeconds);
        if (failure is null) Acknowledge();
        else Fail(failure);
    }

    /// <summary>The batch in one statement and one round trip; returns how many rows went in (0 when fenced).</summary>
    private async Task<long> InsertAsync()
    {
        int count = _flushing.Count;
        var sequences = new long[count];
        var types = new int[count];
        var crcs = new int[count];
        var payloads = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            PostgreSqlPendingRecord record = _flushing[i];
            (sequences[i], types[i], crcs[i], payloads[i]) = (record.Sequence, record.Type, record.Crc, record.Payload);
        }
        await using NpgsqlCommand command = _dataSource.CreateCommand(InsertBatch);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = _epoch });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = sequences });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = types });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = crcs });
        command.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = payloads, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return reader.GetInt64(0);
    }

    private void Acknowledge()
    {
        lock (_gate) _durableSequence = _flushing[^1].Sequence;
        foreach (PostgreSqlPendingRecord record in _flushing) record.Waiter.TrySetResult(record.Sequence);
        _flushing.Clear();
    }

    private void Fail(Exception failure)
    {
        List<PostgreSqlPendingRecord> queued;
        lock (_gate)
        {
            _failure ??= failure;
            queued = _pending;
            _pending = [];
        }
        if (failure is FsException { Code: FsErrorCode.Fenced })
            LogFenced(_logger, _epoch, _flushing[0].Sequence);
        foreach (PostgreSqlPendingRecord record in _flushing) record.Waiter.TrySetException(failure);
        foreach (PostgreSqlPendingRecord record in queued) record.Waiter.TrySetException(failure);
        _flushing.Clear();
    }

    [LoggerMessage(EventId = 1165, Level = LogLevel.Error, Message = "Journal write of sequences from {FirstSequence} to PostgreSQL failed")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, long firstSequence);

    [LoggerMessage(EventId = 1166, Level = LogLevel.Warning, Message = "Journal epoch {Epoch} fenced: refusing sequences from {FirstSequence} on")]
    private static partial void LogFenced(ILogger logger, long epoch, long firstSequence);
}
