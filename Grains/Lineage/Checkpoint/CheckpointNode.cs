namespace OrleansFs.Grains.Lineage.Checkpoint;

/// <summary>One lineage as the checkpoint policy sees it: its files and how long its job takes to run again.</summary>
public sealed record CheckpointNode(
    long LineageId,
    IReadOnlyList<string> Inputs,
    IReadOnlyList<string> Outputs,
    TimeSpan RunTime,
    DateTimeOffset CreatedAt);
