namespace OrleansFs.Grains.Failover.Handoff;

/// <summary>
/// A throwaway grain that each silo sends on one round trip through the same migration path as the master's
/// graceful hand-off (see <see cref="HandoffRehearsalGrain"/>).
/// </summary>
public interface IHandoffRehearsalGrain : IGrainWithGuidKey
{
    Task<SiloAddress> GetLocation();
    Task MoveTo(SiloAddress target);
    Task Retire();
}
