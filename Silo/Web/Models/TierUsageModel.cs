namespace OrleansFs.Silo.Web.Models;

/// <summary>Capacity and use of one storage tier (for example MEM), summed over the silos that report it.</summary>
public sealed record TierUsageModel(string Tier, long CapacityBytes, long UsedBytes);
