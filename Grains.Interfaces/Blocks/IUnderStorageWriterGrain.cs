namespace OrleansFs.Blocks;

/// <summary>
/// One THROUGH write session (key: a fresh Guid): chunks go straight into the under-storage file, at
/// their offsets, under a temporary name that <see cref="Commit"/> renames into place.
/// </summary>
public interface IUnderStorageWriterGrain : IGrainWithGuidKey
{
    Task Open(string path);
    Task Write(long offset, ReadOnlyMemory<byte> data);
    Task<long> Commit();
    Task Abort();
}
