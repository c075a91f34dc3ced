namespace OrleansFs.Silo.Web.Models;

/// <summary>One silo as the membership table and the worker statistics know it. Null numbers are not reported.</summary>
public sealed record WorkerModel
{
    public required string Address { get; init; }
    public required string Name { get; init; }
    public required string HostName { get; init; }
    public required string Status { get; init; }
    public required bool IsThisSilo { get; init; }
    public required bool HostsMaster { get; init; }
    public required DateTimeOffset StartTime { get; init; }
    public required DateTimeOffset LastHeartbeat { get; init; }
    public int? Activations { get; init; }
    public long? CapacityBytes { get; init; }
    public long? UsedBytes { get; init; }
    public long? BlockCount { get; init; }
    /// <summary>The silo's warm standby master ("master", "warm@SEQ", "catching up", "off"); null when not reported.</summary>
    public string? Standby { get; init; }
    /// <summary>The silo's storage tiers; null when not reported.</summary>
    public IReadOnlyList<WorkerTierModel>? Tiers { get; init; }
}
