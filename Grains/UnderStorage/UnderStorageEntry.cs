using OrleansFs.Paths;

namespace OrleansFs.Grains.UnderStorage;

/// <summary>One file or directory found in the under-storage.</summary>
public sealed record UnderStorageEntry(FsPath Path, bool IsDirectory, long Length, DateTimeOffset LastModified);
