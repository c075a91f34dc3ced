namespace OrleansFs.Lineage;

/// <summary>One output file of a lineage.</summary>
[GenerateSerializer]
[Alias("OrleansFs.LineageOutput")]
public sealed record LineageOutput
{
    /// <summary>The file's current path (it follows renames), or the path it had when it was deleted.</summary>
    [Id(0)] public string Path { get; init; } = "";
    /// <summary>The file's inode id; null once the file was deleted (the lineage then no longer rebuilds it).</summary>
    [Id(1)] public long? FileId { get; init; }
    /// <summary>XxHash64 of the first completed output's bytes; a recompute must reproduce it.</summary>
    [Id(2)] public ulong? Checksum { get; init; }
    /// <summary>Whether the file is persisted in the under-storage (a loss then reloads instead of recomputing).</summary>
    [Id(3)] public bool Persisted { get; init; }
}
