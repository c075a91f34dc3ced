using Orleans.Runtime.Placement;
using OrleansFs.Errors;

namespace OrleansFs.Grains.Blocks.Placement;

public sealed class SiloPinnedPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        string key = target.GrainIdentity.Key.ToString()!;
        var silo = SiloAddress.FromParsableString(key);
        if (!context.GetCompatibleSilos(target).Contains(silo))
            throw FsException.Unavailable($"worker {silo} is not an active silo");
        return Task.FromResult(silo);
    }
}
