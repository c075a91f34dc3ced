namespace OrleansFs.Grains.Journal;

/// <summary>
/// A write-only pass-through stream that computes the CRC-32C and length of everything written to it, so a
/// checkpoint can be streamed to disk without holding it in memory and still get a checksum.
/// </summary>
internal sealed class ChecksummingWriteStream : Stream
{
    private readonly Stream _inner;
    private uint _crc = Crc32C.Start;

    public ChecksummingWriteStream(Stream inner) => _inner = inner;

    public long BytesWritten { get; private set; }
    public uint Checksum => Crc32C.Finish(_crc);

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => BytesWritten;
    public override long Position { get => BytesWritten; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Track(buffer);
        _inner.Write(buffer);
    }

    public override void WriteByte(byte value) => Write([value]);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Track(buffer.Span);
        return _inner.WriteAsync(buffer, cancellationToken);
    }

    public override void Flush() => _inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    private void Track(ReadOnlySpan<byte> data)
    {
        _crc = Crc32C.Update(_crc, data);
        BytesWritten += data.Length;
    }
}
