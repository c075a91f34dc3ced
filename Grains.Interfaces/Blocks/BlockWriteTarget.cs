using OrleansFs.Blocks.DataTransfer;

namespace OrleansFs.Blocks;

/// <summary>
/// Where a block being written lands: a client on the same host (same <see cref="HostId"/>) may write the
/// bytes straight into <see cref="TempDataPath"/> and then call <see cref="IBlockGrain.CompleteLocalWrite"/>;
/// any other client sends them to <see cref="DataEndpoint"/> and then calls <see cref="IBlockGrain.CompleteWrite"/>.
/// </summary>
[GenerateSerializer]
[Alias("OrleansFs.BlockWriteTarget")]
public sealed record BlockWriteTarget
{
    [Id(0)] public string HostId { get; init; } = "";
    [Id(1)] public string TempDataPath { get; init; } = "";
    /// <summary>host:port of the worker's data endpoint, where a remote client streams the chunks; empty when it has none.</summary>
    [Id(2)] public string DataEndpoint { get; init; } = "";
    /// <summary>True when that data endpoint speaks TLS.</summary>
    [Id(3)] public bool DataEndpointTls { get; init; }
    /// <summary>Lets the writer send this block's chunks to <see cref="DataEndpoint"/>; renewed by <see cref="IBlockGrain.RenewWriteToken"/>.</summary>
    [Id(4)] public BlockAccessToken WriteToken { get; init; }
}
