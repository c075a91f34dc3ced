using Orleans.Configuration;

namespace OrleansFs.Grains.Master.Lease;

/// <summary>
/// The shortest time the cluster can take to declare a silo dead after it last heard from it. A vote needs
/// <c>NumMissedProbesLimit</c> failed probes, and a probe of a silo that went silent fails only when its timeout
/// runs out; the adaptive timeout is never below <c>MinProbeTimeout</c>. A slower witness (a ZooKeeper session
/// expiring) only makes the real figure longer, so a lease shorter than this floor is shorter than any of them.
/// </summary>
public static class DetectionTime
{
    public static TimeSpan Floor(ClusterMembershipOptions membership) =>
        membership.MinProbeTimeout * Math.Max(1, membership.NumMissedProbesLimit);
}
