using System.Buffers;
using Npgsql;

namespace OrleansFs.Grains.Journal.PostgreSql;

/// <summary>
/// Streams a checkpoint body into <c>ofs_journal_checkpoint_chunks</c> rows of <see cref="ChunkSize"/> bytes, inside
/// the caller's open transaction: the snapshot is never held whole in memory, and nothing is visible until the
/// transaction commits.
/// </summary>
internal sealed class PostgreSqlCheckpointWriteStream : Stream
{
    public const int ChunkSize = 1024 * 1024;
    private readonly NpgsqlConnection _connection;
    private readonly long _sequence;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
    private int _length;

    public PostgreSqlCheckpointWriteStream(NpgsqlConnection connection, long sequence)
    {
        _connection = connection;
        _sequence = sequence;
    }

    public int Chunks { get; private set; }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            int taken = Take(data);
            data = data[taken..];
            if (_length == ChunkSize) InsertChunkAsync(sync: true, CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        while (!data.IsEmpty)
        {
            int taken = Take(data.Span);
            data = data[taken..];
            if (_length == ChunkSize) await InsertChunkAsync(sync: false, cancellationToken);
        }
    }

    /// <summary>Writes the last, partial chunk.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_length > 0) await InsertChunkAsync(sync: false, cancellationToken);
    }

    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        base.Dispose(disposing);
    }

    private int Take(ReadOnlySpan<byte> data)
    {
        int taken = Math.Min(data.Length, ChunkSize - _length);
        data[..taken].CopyTo(_buffer.AsSpan(_length));
        _length += taken;
        return taken;
    }

    private async Task InsertChunkAsync(bool sync, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("INSERT INTO ofs_journal_checkpoint_chunks (seq, chunk, data) VALUES ($1, $2, $3)", _connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = _sequence });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Chunks });
        command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { TypedValue = _buffer.AsMemory(0, _length) });
        if (sync) command.ExecuteNonQuery();
        else await command.ExecuteNonQueryAsync(cancellationToken);
        Chunks++;
        _length = 0;
    }
}
