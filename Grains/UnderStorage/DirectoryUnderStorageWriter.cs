using OrleansFs.Paths;

namespace OrleansFs.Grains.UnderStorage;

/// <summary>Writes to a temporary name beside the target and renames it into place on commit.</summary>
internal sealed class DirectoryUnderStorageWriter : IUnderStorageWriter
{
    private readonly DirectoryUnderStorage _owner;
    private readonly FsPath _path;
    private readonly string _temp;
    private readonly string _final;
    private readonly FileStream _stream;
    private bool _committed;

    public DirectoryUnderStorageWriter(DirectoryUnderStorage owner, FsPath path, string temp, string final)
    {
        _owner = owner;
        _path = path;
        _temp = temp;
        _final = final;
        _stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
    }

    public Stream Stream => _stream;

    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        await _stream.FlushAsync(cancellationToken);
        _stream.Flush(flushToDisk: true);
        await _stream.DisposeAsync();
        _owner.Commit(_path, _temp, _final);
        _committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        if (!_committed) File.Delete(_temp);
    }
}
