namespace OrleansFs.Grains.UnderStorage;

/// <summary>
/// A file being written into the under-storage. Bytes go to a temporary name; <see cref="CommitAsync"/>
/// syncs it to disk and renames it into place, so readers never see a half-written file. Disposing without
/// commit discards it.
/// </summary>
public interface IUnderStorageWriter : IAsyncDisposable
{
    /// <summary>Writes <paramref name="data"/> at <paramref name="offset"/> of the file (a gap before it reads as zeros).</summary>
    ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);
    Task CommitAsync(CancellationToken cancellationToken = default);
}
