using OrleansFs.Files;

namespace OrleansFs.Grains.Master;

/// <summary>
/// Frees a file's blocks from worker memory (the file stays in the namespace and in under-storage).
/// The TTL checker calls it for TTL action Free. Implemented by the block layer; optional in DI.
/// </summary>
public interface IBlockFreer
{
    Task FreeAsync(FileStatus file, CancellationToken cancellationToken);
}
