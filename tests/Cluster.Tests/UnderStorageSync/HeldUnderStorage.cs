using OrleansFs.Grains.UnderStorage;
using OrleansFs.Paths;

namespace OrleansFs.Tests.UnderStorageSync;

/// <summary>
/// The real under-storage, except that a call below a held path first hangs in a blocking wait, where
/// <see cref="DirectoryUnderStorage"/> would hang in a system call on a dead NFS mount: on one of the
/// under-storage's I/O threads, for as long as the hold lasts.
/// </summary>
public sealed class HeldUnderStorage(UnderStorageHold hold, IUnderStorage inner, UnderStorageIoScheduler io) : IUnderStorage
{
    public string Root => inner.Root;

    public async Task<IUnderStorageWriter> CreateAsync(FsPath path, CancellationToken cancellationToken = default)
    {
        await HangIfHeldAsync(path, cancellationToken);
        return await inner.CreateAsync(path, cancellationToken);
    }

    public async Task<Stream> OpenReadAsync(FsPath path, long offset, CancellationToken cancellationToken = default)
    {
        await HangIfHeldAsync(path, cancellationToken);
        return await inner.OpenReadAsync(path, offset, cancellationToken);
    }

    public async Task<UnderStorageEntry?> GetEntryAsync(FsPath path, CancellationToken cancellationToken = default)
    {
        await HangIfHeldAsync(path, cancellationToken);
        return await inner.GetEntryAsync(path, cancellationToken);
    }

    public async Task<IReadOnlyList<UnderStorageEntry>> ListAsync(FsPath directory, CancellationToken cancellationToken = default)
    {
        await HangIfHeldAsync(directory, cancellationToken);
        return await inner.ListAsync(directory, cancellationToken);
    }

    public async Task<bool> DeleteAsync(FsPath path, CancellationToken cancellationToken = default)
    {
        await HangIfHeldAsync(path, cancellationToken);
        return await inner.DeleteAsync(path, cancellationToken);
    }

    public async Task<bool> RenameAsync(FsPath source, FsPath destination, CancellationToken cancellationToken = default)
    {
        await HangIfHeldAsync(source, cancellationToken);
        return await inner.RenameAsync(source, destination, cancellationToken);
    }

    public async Task CreateDirectoryAsync(FsPath path, CancellationToken cancellationToken = default)
    {
        await HangIfHeldAsync(path, cancellationToken);
        await inner.CreateDirectoryAsync(path, cancellationToken);
    }

    private Task HangIfHeldAsync(FsPath path, CancellationToken cancellationToken)
    {
        if (!hold.Holds(path)) return Task.CompletedTask;
        hold.Enter();
        return io.Run(hold.Block, cancellationToken);
    }
}
