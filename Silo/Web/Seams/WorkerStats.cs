using OrleansFs.Silo.Web.Models;

namespace OrleansFs.Silo.Web.Seams;

/// <summary>What one worker silo reports about its block storage.</summary>
/// <param name="Standby">Its warm standby master: "master", "warm@SEQ", "catching up" or "off".</param>
public sealed record WorkerStats(long CapacityBytes, long UsedBytes, long BlockCount, IReadOnlyList<TierUsageModel> Tiers, string Standby = "");
