namespace OrleansFs.Files;

/// <summary>What the master knows about one inode, as returned by getStatus and listStatus.</summary>
[GenerateSerializer]
[Alias("OrleansFs.FileStatus")]
public sealed record FileStatus
{
    [Id(0)] public long InodeId { get; init; }
    [Id(1)] public string Path { get; init; } = "/";
    [Id(2)] public string Name { get; init; } = "";
    [Id(3)] public bool IsDirectory { get; init; }
    [Id(4)] public long Length { get; init; }
    [Id(5)] public long BlockSizeBytes { get; init; }
    /// <summary>Block ids in file order; a block id is the inode id shifted left 24 bits plus the block index.</summary>
    [Id(6)] public IReadOnlyList<long> BlockIds { get; init; } = Array.Empty<long>();
    [Id(7)] public DateTimeOffset CreationTime { get; init; }
    [Id(8)] public DateTimeOffset LastModificationTime { get; init; }
    [Id(9)] public bool Pinned { get; init; }
    /// <summary>Time to live in milliseconds from creation; -1 for none.</summary>
    [Id(10)] public long TtlMs { get; init; } = -1;
    [Id(11)] public TtlAction TtlAction { get; init; }
    [Id(12)] public PersistenceState PersistenceState { get; init; }
    /// <summary>False while a file is being written (created, not yet completed).</summary>
    [Id(13)] public bool Completed { get; init; }
    [Id(14)] public long ParentId { get; init; }
    /// <summary>Number of direct children, for directories.</summary>
    [Id(15)] public int ChildCount { get; init; }
    [Id(16)] public WriteType WriteType { get; init; }
    /// <summary>The lineage whose output this file is, if any.</summary>
    [Id(17)] public long? LineageId { get; init; }
    /// <summary>
    /// On a getStatus or mutation answer, the journal position the answer reflects (at least); the client keeps
    /// the highest it has seen (docs/architecture.md, "Consistency"). Default on entries inside a listing, whose
    /// answer carries one position for all of them.
    /// </summary>
    [Id(18)] public OrleansFs.Master.JournalPosition Journal { get; init; }
}
