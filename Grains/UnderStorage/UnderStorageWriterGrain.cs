using Orleans.Placement;
using OrleansFs.Blocks;
using OrleansFs.Errors;
using OrleansFs.Master;
using OrleansFs.Paths;

namespace OrleansFs.Grains.UnderStorage;

/// <summary>Writes a THROUGH file into the under-storage on the silo the client came through.</summary>
[PreferLocalPlacement]
public sealed class UnderStorageWriterGrain(IUnderStorage underStorage) : Grain, IUnderStorageWriterGrain
{
    private IUnderStorageWriter? _writer;
    private string _path = "";
    private long _length;

    public async Task Open(string path)
    {
        await Abort();
        _writer = await underStorage.CreateAsync(FsPath.Parse(path));
        _path = path;
        _length = 0;
    }

    public async Task Write(long offset, ReadOnlyMemory<byte> data)
    {
        var writer = Writer();
        if (offset < 0) throw FsException.InvalidArgument(_path, $"negative offset {offset}");
        await writer.WriteAsync(offset, data);
        _length = Math.Max(_length, offset + data.Length);
    }

    public async Task<long> Commit()
    {
        var writer = Writer();
        // Deleted or renamed while being written: a copy committed now would sit where no file is, and the
        // metadata sync would bring it back as a file nobody wrote. The write is abandoned instead.
        var status = await GrainFactory.GetGrain<IMasterGrain>(IMasterGrain.Key).GetStatus(_path);
        if (status.IsDirectory || status.Completed)
            throw FsException.NotFound(_path);
        await writer.CommitAsync();
        await writer.DisposeAsync();
        _writer = null;
        DeactivateOnIdle();
        return _length;
    }

    public async Task Abort()
    {
        if (_writer is not null) await _writer.DisposeAsync();
        _writer = null;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Abort();

    private IUnderStorageWriter Writer() =>
        _writer ?? throw FsException.InvalidArgument(_path, "no under-storage write in progress");
}
