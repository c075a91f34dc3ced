using Npgsql;

namespace OrleansFs.Grains.Journal.PostgreSql;

/// <summary>
/// A checkpoint body read back as one stream over its chunk rows (<c>chunk, data</c>, in chunk order), without
/// holding more than the current row. A gap in the chunk numbers ends the stream and sets <see cref="Problem"/>.
/// </summary>
internal sealed class PostgreSqlCheckpointReadStream : Stream
{
    private readonly NpgsqlCommand _command;
    private readonly NpgsqlDataReader _reader;
    private Stream? _chunk;
    private bool _done;

    public PostgreSqlCheckpointReadStream(NpgsqlCommand command, NpgsqlDataReader reader)
    {
        _command = command;
        _reader = reader;
    }

    public int Chunks { get; private set; }
    public string? Problem { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (!_done)
        {
            if (_chunk is not null)
            {
                int read = _chunk.Read(buffer);
                if (read > 0 || buffer.IsEmpty) return read;
                _chunk.Dispose();
                _chunk = null;
            }
            if (!_reader.Read()) _done = true;
            else OpenChunk();
        }
        return 0;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!_done)
        {
            if (_chunk is not null)
            {
                int read = await _chunk.ReadAsync(buffer, cancellationToken);
                if (read > 0 || buffer.IsEmpty) return read;
                await _chunk.DisposeAsync();
                _chunk = null;
            }
            if (!await _reader.ReadAsync(cancellationToken)) _done = true;
            else OpenChunk();
        }
        return 0;
    }

    private void OpenChunk()
    {
        int index = _reader.GetInt32(0);
        if (index != Chunks)
        {
            Problem = $"chunk {Chunks} is missing (found chunk {index} next)";
            _done = true;
            return;
        }
        Chunks++;
        _chunk = _reader.GetStream(1);
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _chunk?.Dispose();
            _reader.Dispose();
            _command.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_chunk is not null) await _chunk.DisposeAsync();
        await _reader.DisposeAsync();
        await _command.DisposeAsync();
        await base.DisposeAsync();
    }
}
