using OrleansFs.Files;

namespace OrleansFs.Silo.Web.Seams;

/// <summary>
/// Seam for the data path: the first bytes of a file for the file page's preview. Null means reading is
/// not available in this build (the default); the block code registers its own implementation.
/// </summary>
public interface IFileContentReader
{
    Task<ReadOnlyMemory<byte>?> ReadHeadAsync(FileStatus file, int count, CancellationToken cancellationToken);
}
