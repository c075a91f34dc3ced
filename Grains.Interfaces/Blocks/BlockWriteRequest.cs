namespace OrleansFs.Blocks;

/// <summary>Starts writing one block.</summary>
[GenerateSerializer]
[Alias("OrleansFs.BlockWriteRequest")]
public sealed record BlockWriteRequest
{
    [Id(0)] public string Path { get; init; } = "";
    /// <summary>The most bytes the block will hold (the file's block size); reserved up front.</summary>
    [Id(1)] public long CapacityBytes { get; init; }
    [Id(2)] public bool Pinned { get; init; }
}
