using Orleans.Placement;

namespace OrleansFs.Grains.Master.Placement;

/// <summary>The placement filter of <see cref="EpochStoreReachableAttribute"/>.</summary>
public sealed class EpochStoreReachableFilter() : PlacementFilterStrategy(order: 0);
