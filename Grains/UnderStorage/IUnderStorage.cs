using OrleansFs.Paths;

namespace OrleansFs.Grains.UnderStorage;

/// <summary>
/// The store persisted files go to (Alluxio's under file system). A persisted file sits at the same path
/// under the root so operators can see it there. No operation may reach outside the root.
/// </summary>
public interface IUnderStorage
{
    /// <summary>The resolved root directory.</summary>
    string Root { get; }

    IUnderStorageWriter Create(FsPath path);
    Stream OpenRead(FsPath path, long offset);
    UnderStorageEntry? GetEntry(FsPath path);
    IReadOnlyList<UnderStorageEntry> List(FsPath directory);
    /// <summary>Deletes a file or a directory tree; false when nothing was there.</summary>
    bool Delete(FsPath path);
    /// <summary>Moves a file or directory; false when the source was not there.</summary>
    bool Rename(FsPath source, FsPath destination);
    void CreateDirectory(FsPath path);
}
