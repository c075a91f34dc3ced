namespace OrleansFs.Blocks;

/// <summary>Capacity and use of one storage tier of one worker.</summary>
[GenerateSerializer]
[Alias("OrleansFs.TierStats")]
public sealed record TierStats
{
    [Id(0)] public string Name { get; init; } = "";
    [Id(1)] public string Directory { get; init; } = "";
    [Id(2)] public long CapacityBytes { get; init; }
    [Id(3)] public long UsedBytes { get; init; }
    [Id(4)] public int BlockCount { get; init; }
    /// <summary>Bytes of blocks that may not be evicted (pinned or not yet persisted).</summary>
    [Id(5)] public long UnevictableBytes { get; init; }
    public long FreeBytes => Math.Max(0, CapacityBytes - UsedBytes);
}
