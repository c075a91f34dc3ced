namespace OrleansFs.Files;

[GenerateSerializer]
[Alias("OrleansFs.CreateFileOptions")]
public sealed record CreateFileOptions
{
    public const long DefaultBlockSizeBytes = 64L * 1024 * 1024;

    [Id(0)] public long BlockSizeBytes { get; init; } = DefaultBlockSizeBytes;
    [Id(1)] public bool Recursive { get; init; } = true;
    [Id(2)] public bool Overwrite { get; init; }
    [Id(3)] public WriteType WriteType { get; init; } = WriteType.AsyncThrough;
    [Id(4)] public long TtlMs { get; init; } = -1;
    [Id(5)] public TtlAction TtlAction { get; init; }
    [Id(6)] public bool Pinned { get; init; }
}
