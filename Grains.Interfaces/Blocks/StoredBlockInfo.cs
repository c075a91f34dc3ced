namespace OrleansFs.Blocks;

/// <summary>What a worker holds of one block.</summary>
[GenerateSerializer]
[Alias("OrleansFs.StoredBlockInfo")]
public sealed record StoredBlockInfo
{
    [Id(0)] public long BlockId { get; init; }
    [Id(1)] public long Length { get; init; }
    /// <summary>XxHash3 over the block's per-chunk hashes.</summary>
    [Id(2)] public ulong ContentHash { get; init; }
    [Id(3)] public string Tier { get; init; } = "";
    [Id(4)] public bool Pinned { get; init; }
    [Id(5)] public bool Persisted { get; init; }
    /// <summary>Full path of the block file, for same-host clients.</summary>
    [Id(6)] public string DataPath { get; init; } = "";
    [Id(7)] public string MetaPath { get; init; } = "";
    /// <summary>
    /// The block file's stamp when the worker last verified its bytes, while that still holds; null when readers must
    /// verify. A same-host reader whose open file has this stamp after a read got the bytes the worker verified.
    /// </summary>
    [Id(8)] public BlockFileStamp? VerifiedStamp { get; init; }
}
