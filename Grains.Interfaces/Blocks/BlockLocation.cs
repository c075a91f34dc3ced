using OrleansFs.Blocks.DataTransfer;

namespace OrleansFs.Blocks;

/// <summary>Where a block's bytes are: which worker, and the block file when it is cached there.</summary>
[GenerateSerializer]
[Alias("OrleansFs.BlockLocation")]
public sealed record BlockLocation
{
    [Id(0)] public long BlockId { get; init; }
    /// <summary>host:port of the silo whose BlockGrain owns the block.</summary>
    [Id(1)] public string SiloAddress { get; init; } = "";
    [Id(2)] public string HostId { get; init; } = "";
    /// <summary>The cached copy; null when the block is only in the under-storage.</summary>
    [Id(3)] public StoredBlockInfo? Stored { get; init; }
    /// <summary>host:port of that silo's data endpoint for block bytes; empty when it has none.</summary>
    [Id(4)] public string DataEndpoint { get; init; } = "";
    /// <summary>True when that data endpoint speaks TLS (<c>Security:Enabled</c> on its silo).</summary>
    [Id(5)] public bool DataEndpointTls { get; init; }
    /// <summary>
    /// Lets the caller read this block from <see cref="DataEndpoint"/> for a short while. Only
    /// <see cref="IBlockGrain.Locate"/> issues one; <see cref="IBlockGrain.GetLocation"/> leaves it empty.
    /// </summary>
    [Id(6)] public BlockAccessToken ReadToken { get; init; }
}
