namespace OrleansFs.Grains.Blocks;

/// <summary>One storage tier (memory or disk) of a worker: a directory with a byte budget and an LRU order.</summary>
internal sealed class BlockTier
{
    public BlockTier(string name, string directory, long capacityBytes)
    {
        Name = name;
        Directory = directory;
        CapacityBytes = capacityBytes;
    }

    public string Name { get; }
    public string Directory { get; }
    public long CapacityBytes { get; }
    /// <summary>Committed block bytes plus space reserved by writes in progress.</summary>
    public long UsedBytes { get; set; }
    /// <summary>Least recently used first.</summary>
    public LinkedList<StoredBlock> Lru { get; } = new();
    public long FreeBytes => CapacityBytes - UsedBytes;

    public string DataPath(long blockId) => Path.Join(Directory, blockId.ToString());
    public string MetaPath(long blockId) => Path.Join(Directory, blockId + ".meta");
    public string TempDataPath(long blockId) => Path.Join(Directory, blockId + ".tmp");
    public string TempMetaPath(long blockId) => Path.Join(Directory, blockId + ".meta.tmp");
}
