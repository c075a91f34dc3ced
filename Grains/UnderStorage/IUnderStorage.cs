using OrleansFs.Paths;

namespace OrleansFs.Grains.UnderStorage;

/// <summary>
/// The store persisted files go to (Alluxio's under file system). A persisted file sits at the same path
/// under the root so operators can see it there. No operation may reach outside the root.
/// Every operation is asynchronous: the store may be a slow or hung network mount, and grains call it in
/// their turns, which must never wait on a thread for it.
/// </summary>
public interface IUnderStorage
{
    /// <summary>The resolved root directory.</summary>
    string Root { get; }

    /// <summary>Starts writing a file; it appears at <paramref name="path"/> only when the writer commits.</summary>
    Task<IUnderStorageWriter> CreateAsync(FsPath path, CancellationToken cancellationToken = default);
    /// <summary>A stream over the file from <paramref name="offset"/>; it reads asynchronously only.</summary>
    Task<Stream> OpenReadAsync(FsPath path, long offset, CancellationToken cancellationToken = default);
    Task<UnderStorageEntry?> GetEntryAsync(FsPath path, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<UnderStorageEntry>> ListAsync(FsPath directory, CancellationToken cancellationToken = default);
    /// <summary>Deletes a file or a directory tree; false when nothing was there.</summary>
    Task<bool> DeleteAsync(FsPath path, CancellationToken cancellationToken = default);
    /// <summary>Moves a file or directory; false when the source was not there.</summary>
    Task<bool> RenameAsync(FsPath source, FsPath destination, CancellationToken cancellationToken = default);
    Task CreateDirectoryAsync(FsPath path, CancellationToken cancellationToken = default);
}
