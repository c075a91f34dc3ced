using Microsoft.Win32.SafeHandles;
using OrleansFs.Paths;

namespace OrleansFs.Grains.UnderStorage;

/// <summary>
/// Writes to a temporary name beside the target and renames it into place on commit. Created on an I/O
/// thread; every later call hands its system calls to the I/O threads too.
/// </summary>
internal sealed class DirectoryUnderStorageWriter : IUnderStorageWriter
{
    private readonly DirectoryUnderStorage _owner;
    private readonly FsPath _path;
    private readonly string _temp;
    private readonly string _final;
    private readonly SafeFileHandle _file;
    private bool _committed;

    public DirectoryUnderStorageWriter(DirectoryUnderStorage owner, FsPath path, string temp, string final)
    {
        _owner = owner;
        _path = path;
        _temp = temp;
        _final = final;
        _file = File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
    }

    public ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ObjectDisposedException.ThrowIf(_file.IsClosed, this);
        return new ValueTask(_owner.Io.Run(() => RandomAccess.Write(_file, data.Span, offset), cancellationToken));
    }

    public Task CommitAsync(CancellationToken cancellationToken = default) =>
        _owner.Io.Run(() =>
        {
            RandomAccess.FlushToDisk(_file);
            _file.Dispose();
            _owner.Commit(_path, _temp, _final);
            _committed = true;
        }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_committed) return;
        await _owner.Io.Run(() =>
        {
            _file.Dispose();
            File.Delete(_temp);
        }, CancellationToken.None);
    }
}
