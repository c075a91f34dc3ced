using OrleansFs.Silo.Web.Models;

namespace OrleansFs.Silo.Web.Seams;

/// <summary>What one worker silo reports about its block storage.</summary>
public sealed record WorkerStats(long CapacityBytes, long UsedBytes, long BlockCount, IReadOnlyList<TierUsageModel> Tiers);
