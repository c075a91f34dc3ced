namespace OrleansFs.Grains.UnderStorage;

/// <summary>
/// A file being written into the under-storage. Bytes go to a temporary name; <see cref="CommitAsync"/>
/// renames it into place, so readers never see a half-written file. Disposing without commit discards it.
/// </summary>
public interface IUnderStorageWriter : IAsyncDisposable
{
    Stream Stream { get; }
    Task CommitAsync(CancellationToken cancellationToken = default);
}
