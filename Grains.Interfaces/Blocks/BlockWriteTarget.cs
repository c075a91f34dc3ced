namespace OrleansFs.Blocks;

/// <summary>
/// Where a block being written lands: a client on the same host (same <see cref="HostId"/>) may write the
/// bytes straight into <see cref="TempDataPath"/> and then call <see cref="IBlockGrain.CompleteLocalWrite"/>.
/// </summary>
[GenerateSerializer]
[Alias("OrleansFs.BlockWriteTarget")]
public sealed record BlockWriteTarget
{
    [Id(0)] public string HostId { get; init; } = "";
    [Id(1)] public string TempDataPath { get; init; } = "";
}
