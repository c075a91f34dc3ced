namespace OrleansFs.Grains.Lineage.Checkpoint;

/// <summary>
/// The asynchronous checkpoint policy for lineage outputs (section <c>Lineage:Checkpoint</c>), after the Edge
/// algorithm of the Tachyon paper: persist the leaves of the lineage graph first, and any output whose rebuild
/// would cost more than <see cref="MaxChainRecomputeTime"/>.
/// </summary>
public sealed class LineageCheckpointOptions
{
    public const string Section = "Lineage:Checkpoint";

    /// <summary>False: lineage outputs stay in memory until the application persists them (a loss recomputes).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the master looks for outputs to persist.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most recomputation one loss may cost: an output whose job plus every unpersisted ancestor job would
    /// take longer to run again (estimated from their last successful runs) is persisted too.
    /// </summary>
    public TimeSpan MaxChainRecomputeTime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The run time assumed for a job that has no successful run recorded (the application wrote its outputs).</summary>
    public TimeSpan AssumedRunTime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Outputs persisted at once per pass; the next pass starts when they are done, in the policy's order.</summary>
    public int MaxPersistsPerPass { get; set; } = 2;
}
