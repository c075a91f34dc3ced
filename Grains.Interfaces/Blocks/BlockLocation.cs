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
}
