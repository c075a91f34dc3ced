using Orleans.Placement;

namespace OrleansFs.Grains.Master.Placement;

/// <summary>Places the master only on silos that can reach the journal's epoch store (<see cref="EpochStoreReachableFilterDirector"/>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class EpochStoreReachableAttribute() : PlacementFilterAttribute(new EpochStoreReachableFilter());
