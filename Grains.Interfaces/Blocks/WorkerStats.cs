namespace OrleansFs.Blocks;

/// <summary>One worker's (silo's) block store, for `ofs report` and the web interface.</summary>
[GenerateSerializer]
[Alias("OrleansFs.WorkerStats")]
public sealed record WorkerStats
{
    /// <summary>host:port of the silo.</summary>
    [Id(0)] public string SiloAddress { get; init; } = "";
    [Id(1)] public string HostId { get; init; } = "";
    [Id(2)] public IReadOnlyList<TierStats> Tiers { get; init; } = Array.Empty<TierStats>();
    /// <summary>
    /// This silo's warm standby master: "master" (it hosts the master), "warm@SEQ" (caught up, at journal
    /// sequence SEQ), "catching up", or "off".
    /// </summary>
    [Id(3)] public string Standby { get; init; } = "";
    public long CapacityBytes => Tiers.Sum(t => t.CapacityBytes);
    public long UsedBytes => Tiers.Sum(t => t.UsedBytes);
    public int BlockCount => Tiers.Sum(t => t.BlockCount);
}
