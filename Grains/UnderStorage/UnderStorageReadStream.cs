using Microsoft.Win32.SafeHandles;

namespace OrleansFs.Grains.UnderStorage;

/// <summary>
/// Reads an under-storage file forward from an offset, each read a pread on the I/O threads. Synchronous
/// reads are refused: a caller in a grain turn would block its thread on the mount.
/// </summary>
internal sealed class UnderStorageReadStream(SafeFileHandle file, long offset, UnderStorageIoScheduler io) : Stream
{
    private long _position = offset;

    public override bool CanRead => !file.IsClosed;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(file.IsClosed, this);
        if (buffer.IsEmpty) return 0;
        long at = _position;
        int read = await io.Run(() => RandomAccess.Read(file, buffer.Span, at), cancellationToken);
        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("under-storage files are read asynchronously");

    public override async ValueTask DisposeAsync()
    {
        if (!file.IsClosed) await io.Run(file.Dispose, CancellationToken.None);
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) file.Dispose();
        base.Dispose(disposing);
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
