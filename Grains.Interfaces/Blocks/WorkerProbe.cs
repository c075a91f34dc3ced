namespace OrleansFs.Blocks;

/// <summary>A worker's answer to placement: does it hold a block, and how much memory could it free.</summary>
[GenerateSerializer]
[Alias("OrleansFs.WorkerProbe")]
public sealed record WorkerProbe
{
    [Id(0)] public bool HasBlock { get; init; }
    [Id(1)] public long ReclaimableMemoryBytes { get; init; }
}
