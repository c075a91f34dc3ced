namespace OrleansFs.Grains.Lineage.Checkpoint;

/// <summary>What the checkpoint policy needs to know about one lineage output.</summary>
public enum CheckpointFileState
{
    /// <summary>Complete and held only in memory: a candidate, and a loss would recompute it.</summary>
    InMemory,
    /// <summary>Persisted, or on its way there (ToBePersisted): a loss reloads it, so it ends a recompute chain.</summary>
    Persisted,
    /// <summary>Not written yet, lost, or gone: nothing to persist now.</summary>
    NotReady,
}
