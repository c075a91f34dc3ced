namespace OrleansFs.Master;

/// <summary>One master activation taking over (journaled), for the failover timeline.</summary>
[GenerateSerializer]
[Alias("OrleansFs.MasterTakeover")]
public sealed record MasterTakeover
{
    [Id(0)] public long Epoch { get; init; }
    [Id(1)] public string SiloAddress { get; init; } = "";
    [Id(2)] public string? PreviousSiloAddress { get; init; }
    [Id(3)] public DateTimeOffset StartedAt { get; init; }
    /// <summary>
    /// How long the cluster took to notice the previous master's silo was gone: from the last time it heard from it
    /// (its heartbeat in the membership table, or the last message or probe answer the new master's silo received
    /// from it; the first suspicion vote when neither is recent) to its death declaration in the membership table.
    /// Zero for a <see cref="TakeoverCause.GracefulMove"/>; null when not known.
    /// </summary>
    [Id(4)] public TimeSpan? DetectionDuration { get; init; }
    /// <summary>Checkpoint load plus journal replay.</summary>
    [Id(5)] public TimeSpan RecoveryDuration { get; init; }
    [Id(6)] public long RecordsReplayed { get; init; }
    [Id(7)] public TakeoverCause Cause { get; init; }
    /// <summary>The second figure: from the first suspicion vote by another silo to the death declaration; null when there was no vote.</summary>
    [Id(8)] public TimeSpan? DetectionFromFirstVote { get; init; }
}
