using OrleansFs.Files;

namespace OrleansFs.Blocks;

/// <summary>
/// What a reader knows about one block from the file's status: enough for a BlockGrain that activates
/// without its bytes to reload them from the under-storage (or to know it cannot).
/// </summary>
[GenerateSerializer]
[Alias("OrleansFs.BlockRef")]
public sealed record BlockRef
{
    [Id(0)] public string Path { get; init; } = "";
    [Id(1)] public long BlockId { get; init; }
    /// <summary>Where the block starts in the file.</summary>
    [Id(2)] public long FileOffset { get; init; }
    [Id(3)] public long Length { get; init; }
    [Id(4)] public PersistenceState PersistenceState { get; init; }
    [Id(5)] public bool Pinned { get; init; }

    /// <summary>The refs of every block of a completed file, in file order.</summary>
    public static IReadOnlyList<BlockRef> ForFile(FileStatus status)
    {
        var refs = new BlockRef[status.BlockIds.Count];
        for (int i = 0; i < refs.Length; i++)
        {
            long offset = i * status.BlockSizeBytes;
            refs[i] = new BlockRef
            {
                Path = status.Path,
                BlockId = status.BlockIds[i],
                FileOffset = offset,
                Length = Math.Min(status.BlockSizeBytes, status.Length - offset),
                PersistenceState = status.PersistenceState,
                Pinned = status.Pinned,
            };
        }
        return refs;
    }
}
