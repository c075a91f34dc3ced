namespace OrleansFs.Grains.Lineage;

/// <summary>
/// `Lineage:Checkpoint`: persisting lineage outputs in the background so a loss reloads them instead of recomputing
/// (after the Edge algorithm: leaves first, and no chain longer to recompute than <see cref="MaxChainRecomputeTime"/>).
/// </summary>
public sealed class LineageCheckpointOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>How often the policy looks for outputs to persist.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest recompute a chain of unpersisted outputs may cost before one of them is persisted.</summary>
    public TimeSpan MaxChainRecomputeTime { get; set; } = TimeSpan.FromMinutes(2);
}
