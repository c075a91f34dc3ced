using Orleans.Placement;
using Orleans.Runtime.Placement;
using OrleansFs.Grains.Journal;

namespace OrleansFs.Grains.Master.Placement;

/// <summary>
/// Keeps the master off the placing silo while that silo has lost its ZooKeeper connection: a master activated there
/// could not take an epoch, and one that stepped down there because its lease lapsed (docs/architecture.md, "Master
/// lease") would otherwise be placed right back. A silo knows only its own connection, so it removes only itself, and
/// only when another candidate remains; a master placed on a cut-off silo by another one fails its activation at once
/// and the caller's retry places it again.
/// </summary>
public sealed class EpochStoreReachableFilterDirector(ILocalSiloDetails localSilo, IServiceProvider services) : IPlacementFilterDirector
{
    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos)
    {
        if (!LocalEpochStoreCutOff()) return silos;
        var others = silos.Where(silo => !silo.Equals(localSilo.SiloAddress)).ToList();
        return others.Count > 0 ? others : silos;
    }

    private bool LocalEpochStoreCutOff() =>
        services.GetService(typeof(ZooKeeperEpochStore)) is ZooKeeperEpochStore epochs
        && Failover.FailoverSiloBuilderExtensions.EpochsInZooKeeper(services)
        && epochs.IsCutOff;
}
