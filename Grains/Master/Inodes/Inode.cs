using OrleansFs.Files;

namespace OrleansFs.Grains.Master.Inodes;

/// <summary>
/// One immutable inode. A change makes a new record (<c>with</c>), so a namespace snapshot held by a
/// checkpoint or a retry-cache entry never changes underneath its holder. Paths are not stored: an
/// inode knows its name and parent, so renaming a directory touches one inode and two parents.
/// </summary>
public sealed record Inode
{
    public const long RootId = 0;

    public required long Id { get; init; }
    public required long ParentId { get; init; }
    public required string Name { get; init; }
    public required bool IsDirectory { get => Has(FlagDirectory); init => Set(FlagDirectory, value); }
    public long CreationTimeMs { get; init; }
    public long ModificationTimeMs { get; init; }
    public bool Pinned { get => Has(FlagPinned); init => Set(FlagPinned, value); }
    /// <summary>Milliseconds from creation; -1 for none.</summary>
    public long TtlMs { get; init; } = -1;
    public TtlAction TtlAction { get => (TtlAction)_ttlAction; init => _ttlAction = checked((byte)value); }
    public PersistenceState PersistenceState { get => (PersistenceState)_persistenceState; init => _persistenceState = checked((byte)value); }
    public long Length { get; init; }
    public long BlockSizeBytes { get; init; }
    public bool Completed { get => Has(FlagCompleted); init => Set(FlagCompleted, value); }
    public WriteType WriteType { get => (WriteType)_writeType; init => _writeType = checked((byte)value); }
    /// <summary>Children by name (ordinal order), for directories; empty for files.</summary>
    public SortedChildren Children { get; init; } = SortedChildren.Empty;

    // Small fields packed into bytes: at millions of inodes every word counts (docs/benchmarks.md, "Master memory").
    private const byte FlagDirectory = 1, FlagPinned = 2, FlagCompleted = 4;
    private byte _flags;
    private byte _ttlAction;
    private byte _persistenceState;
    private byte _writeType;

    private bool Has(byte flag) => (_flags & flag) != 0;

    private void Set(byte flag, bool value) => _flags = (byte)(value ? _flags | flag : _flags & ~flag);

    /// <summary>
    /// Children whose names sort (ordinally) strictly after <paramref name="after"/>, in order; all of them for null.
    /// Paged listings resume here, so a page costs O(log n) plus the page, not the directory.
    /// </summary>
    public IEnumerable<KeyValuePair<string, long>> ChildrenAfter(string? after) => Children.After(after);

    public bool HasTtl => TtlMs >= 0;
    public long TtlExpiryMs => CreationTimeMs + TtlMs;

    public static Inode NewRoot(long timeMs) => new()
    {
        Id = RootId,
        ParentId = RootId,
        Name = "",
        IsDirectory = true,
        CreationTimeMs = timeMs,
        ModificationTimeMs = timeMs,
        Completed = true,
    };

    /// <summary>Block ids in file order: the inode id shifted left 24 bits plus the block index.</summary>
    public long[] BlockIds()
    {
        if (IsDirectory || !Completed || Length == 0) return [];
        long count = BlockCount(Length, BlockSizeBytes);
        var ids = new long[count];
        for (int i = 0; i < ids.Length; i++) ids[i] = BlockId(Id, i);
        return ids;
    }

    public static long BlockCount(long length, long blockSize) => (length + blockSize - 1) / blockSize;

    public static long BlockId(long inodeId, long index) => inodeId << BlockIndexBits | index;

    public const int BlockIndexBits = 24;
    public const long MaxBlocksPerFile = 1L << BlockIndexBits;
    /// <summary>Inode ids must leave room for the block index in a 63-bit positive block id.</summary>
    public const long MaxInodeId = (1L << (63 - BlockIndexBits)) - 1;

    public FileStatus ToStatus(string path) => new()
    {
        InodeId = Id,
        Path = path,
        Name = Name,
        IsDirectory = IsDirectory,
        Length = Length,
        BlockSizeBytes = BlockSizeBytes,
        BlockIds = BlockIds(),
        CreationTime = DateTimeOffset.FromUnixTimeMilliseconds(CreationTimeMs),
        LastModificationTime = DateTimeOffset.FromUnixTimeMilliseconds(ModificationTimeMs),
        Pinned = Pinned,
        TtlMs = TtlMs,
        TtlAction = TtlAction,
        PersistenceState = PersistenceState,
        Completed = Completed,
        ParentId = ParentId,
        ChildCount = Children.Count,
        WriteType = WriteType,
    };
}
