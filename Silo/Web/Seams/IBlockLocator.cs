using OrleansFs.Files;

namespace OrleansFs.Silo.Web.Seams;

/// <summary>
/// Seam for the block storage: the locations of a file's blocks, in file order. Null means locations are
/// not reported by this build (the default); the block code registers its own implementation.
/// </summary>
public interface IBlockLocator
{
    /// <summary>False while this build has no block storage to ask; the pages then say locations are not reported.</summary>
    bool ReportsLocations { get; }

    Task<IReadOnlyList<BlockLocation>?> LocateAsync(FileStatus file, CancellationToken cancellationToken);
}
