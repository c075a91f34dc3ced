using System.Collections.Immutable;
using OrleansFs.Grains.Lineage.Records;
using OrleansFs.Grains.Master.Cleanup;
using OrleansFs.Grains.Master.Inodes;
using OrleansFs.Master;

namespace OrleansFs.Grains.Master.State;

/// <summary>
/// The namespace as one immutable value: the inodes, the id counter and the takeover history. A checkpoint
/// takes a reference to it (and a snapshot of the retry cache) and writes it in the background.
/// </summary>
public sealed record MasterState
{
    public const int MaxTakeovers = 100;

    public required InodeMap Inodes { get; init; }
    public required long NextInodeId { get; init; }
    /// <summary>Ids of inodes with a TTL, so the TTL checker need not scan the whole tree. Derived, not checkpointed.</summary>
    public required ImmutableHashSet<long> TtlInodes { get; init; }
    public required ImmutableList<MasterTakeover> Takeovers { get; init; }
    /// <summary>Under-storage and worker side effects of journaled deletes and renames not yet done, oldest first.</summary>
    public ImmutableList<CleanupTask> Cleanups { get; init; } = [];
    /// <summary>Which jobs make which files (docs/lineage.md).</summary>
    public LineageTable Lineages { get; init; } = LineageTable.Empty;
    public long FileCount { get; init; }
    public long DirectoryCount { get; init; }

    /// <summary>A namespace with only the root. Its times are set by the first takeover entry, so they are journaled.</summary>
    public static MasterState Empty { get; } = new()
    {
        Inodes = BuildMap([Inode.NewRoot(0)]),
        NextInodeId = Inode.RootId + 1,
        TtlInodes = [],
        Takeovers = [],
        DirectoryCount = 1,
    };

    public Inode Root => Inodes[Inode.RootId];

    private static InodeMap BuildMap(IEnumerable<Inode> inodes)
    {
        var editor = InodeMap.Empty.Edit();
        foreach (var inode in inodes) editor.Set(inode);
        return editor.ToMap();
    }
}
