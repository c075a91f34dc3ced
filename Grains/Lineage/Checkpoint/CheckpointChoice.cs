namespace OrleansFs.Grains.Lineage.Checkpoint;

/// <summary>
/// One output the policy wants persisted: a leaf of the lineage graph, or (when <see cref="Leaf"/> is false) an
/// output whose rebuild would take <see cref="RecomputeTime"/>, more than the configured bound.
/// </summary>
public sealed record CheckpointChoice(string Path, long LineageId, bool Leaf, TimeSpan RecomputeTime);
