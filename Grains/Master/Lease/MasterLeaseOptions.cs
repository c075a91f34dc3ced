namespace OrleansFs.Grains.Master.Lease;

/// <summary>
/// The `Master:Lease` section: how long the master may keep answering after its last confirmation that its journal
/// epoch is still the newest. It must be shorter than the time the cluster needs to declare the master's silo dead
/// (<see cref="DetectionTime"/>): a new master can take over only after that declaration, so an old master whose
/// lease is shorter has already stopped answering by then (docs/architecture.md, "Master lease").
/// </summary>
public sealed class MasterLeaseOptions
{
    public const string Section = "Master:Lease";

    /// <summary>Unset: three quarters of the detection time. Renewed about three times per length.</summary>
    public TimeSpan? Length { get; set; }

    /// <summary>
    /// How long the lease may stay lapsed (the journal's epoch store not answering) before the master steps down, so
    /// that it re-activates on a silo that can reach the store. Short blips only delay calls; longer ones move the master.
    /// </summary>
    public TimeSpan StepDownAfter { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The lease length in force: the configured one, or three quarters of <paramref name="detection"/>.</summary>
    public TimeSpan LengthFor(TimeSpan detection) => Length ?? detection * 3 / 4;
}
