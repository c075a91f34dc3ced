namespace OrleansFs.Files;

/// <summary>Attributes to change; null leaves an attribute as it is.</summary>
[GenerateSerializer]
[Alias("OrleansFs.SetAttributeOptions")]
public sealed record SetAttributeOptions
{
    [Id(0)] public bool? Pinned { get; init; }
    [Id(1)] public long? TtlMs { get; init; }
    [Id(2)] public TtlAction? TtlAction { get; init; }
    [Id(3)] public PersistenceState? PersistenceState { get; init; }
    /// <summary>Apply to every inode below a directory too.</summary>
    [Id(4)] public bool Recursive { get; init; }
}
