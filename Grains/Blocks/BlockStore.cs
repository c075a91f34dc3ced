using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Win32.SafeHandles;
using OrleansFs.Blocks;
using OrleansFs.Errors;
using OrleansFs.Grains.Blocks.Scrub;
using OrleansFs.Grains.Journal;

namespace OrleansFs.Grains.Blocks;

/// <summary>
/// A worker's block store: block files named by block id in tier directories (memory on tmpfs, then an
/// optional disk tier), each with a checksummed sidecar. It finds its blocks again after a restart by
/// scanning those directories. Eviction is LRU and only ever drops blocks that are persisted and not pinned;
/// when that is not enough, writes fail with <see cref="FsErrorCode.NoSpace"/> and nothing is lost.
/// </summary>
public sealed partial class BlockStore
{
    private readonly object _lock = new();
    private readonly List<BlockTier> _tiers = new();
    private readonly Dictionary<long, StoredBlock> _blocks = new();
    private readonly HashSet<long> _writing = new();
    // Writes in progress, so the data endpoint can stream chunks into a write its BlockGrain began.
    private readonly Dictionary<long, BlockWriter> _writers = new();
    private readonly ILogger<BlockStore> _logger;
    private readonly string? _namespaceId;
    private long _verifiedReadBytes;

    /// <param name="namespaceIdentity">When given, blocks left by another namespace are dropped at start (see <see cref="NamespaceIdentity"/>).</param>
    public BlockStore(IOptions<WorkerOptions> options, ILogger<BlockStore> logger, NamespaceIdentity? namespaceIdentity = null)
    {
        _logger = logger;
        _namespaceId = namespaceIdentity?.Id;
        var o = options.Value;
        _tiers.Add(new BlockTier("MEM", o.ResolvedMemoryDirectory, o.ResolvedMemoryBytes));
        if (!string.IsNullOrEmpty(o.DiskDirectory)) _tiers.Add(new BlockTier("DISK", o.DiskDirectory, o.DiskBytes));
        foreach (var tier in _tiers) Scan(tier);
    }

    public string MemoryDirectory => _tiers[0].Directory;

    /// <summary>Tier directories that other users may read (short-circuit is then open to them too); empty when all are 0700.</summary>
    public IReadOnlyList<string> SharedTierDirectories => _tiers.Select(t => t.Directory).Where(d => !TierDirectory.IsPrivate(d)).ToArray();

    /// <summary>Starts writing a block, reserving <paramref name="expectedBytes"/> in the first tier that has room.</summary>
    public BlockWriter BeginWrite(long blockId, long expectedBytes, bool pinned, bool persisted)
    {
        lock (_lock)
        {
            if (_blocks.ContainsKey(blockId) || !_writing.Add(blockId))
                throw new FsException(FsErrorCode.AlreadyExists, null, $"block {blockId} is already stored or being written");
            try
            {
                var tier = ReserveLocked(expectedBytes, _tiers);
                var writer = new BlockWriter(this, tier, blockId, expectedBytes, pinned, persisted);
                _writers[blockId] = writer;
                return writer;
            }
            catch
            {
                _writing.Remove(blockId);
                throw;
            }
        }
    }

    /// <summary>The write in progress for a block, or null when none was begun (or it is finished).</summary>
    public BlockWriter? FindWriter(long blockId)
    {
        lock (_lock) return _writers.GetValueOrDefault(blockId);
    }

    public bool Contains(long blockId)
    {
        lock (_lock) return _blocks.ContainsKey(blockId);
    }

    public StoredBlockInfo? GetInfo(long blockId)
    {
        lock (_lock) return _blocks.TryGetValue(blockId, out var block) ? Describe(block) : null;
    }

    public IReadOnlyList<long> BlockIds()
    {
        lock (_lock) return _blocks.Keys.ToArray();
    }

    /// <summary>
    /// Reads verified bytes at <paramref name="offset"/>; null when the block is not here (never stored, or
    /// evicted meanwhile). A block whose bytes fail their checksum is dropped and the error is thrown.
    /// </summary>
    public int? Read(long blockId, long offset, Span<byte> destination)
    {
        using var reader = OpenRead(blockId);
        return reader?.Read(offset, destination);
    }

    /// <summary>Opens a block for reading (see <see cref="BlockReader"/>); null when it is not here.</summary>
    public BlockReader? OpenRead(long blockId)
    {
        StoredBlock block;
        string path;
        BlockFileStamp? trusted;
        lock (_lock)
        {
            if (!_blocks.TryGetValue(blockId, out block!)) return null;
            Touch(block);
            path = block.Tier.DataPath(blockId);
            trusted = block.Tier == _tiers[0] ? block.Verified : null;
        }
        // Asynchronous, so the data endpoint can also send the file with sendfile (a socket's file element needs it);
        // positional reads are the same pread either way.
        try { return new BlockReader(this, block, File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous), trusted); }
        catch (FileNotFoundException) { return null; }
    }

    /// <summary>Block bytes hashed on read so far (bytes of trusted blocks are not).</summary>
    public long VerifiedReadBytes => Interlocked.Read(ref _verifiedReadBytes);

    internal void CountVerified(int bytes) => Interlocked.Add(ref _verifiedReadBytes, bytes);

    /// <summary>A block's file changed since it was verified: reads check it until the scrubber has checked it again.</summary>
    internal void Distrust(StoredBlock block, BlockFileStamp stamp)
    {
        lock (_lock)
        {
            if (block.Verified != stamp) return;
            block.Verified = null;
        }
        LogChangedBehindBack(_logger, block.BlockId, block.Tier.DataPath(block.BlockId));
    }

    /// <summary>Drops a block whose bytes failed their checksum (unless it was replaced meanwhile).</summary>
    internal void DropCorrupt(StoredBlock block, FsException failure)
    {
        LogChecksumFailed(_logger, failure, block.BlockId, failure.Reason);
        lock (_lock)
        {
            if (_blocks.TryGetValue(block.BlockId, out var current) && ReferenceEquals(current, block)) DropLocked(block);
        }
    }

    /// <summary>
    /// Checks every chunk of a block against its sidecar with <paramref name="buffer"/> (one chunk long). An intact
    /// memory-tier block is trusted afterwards (reads stop hashing it); a damaged one is dropped, and when it was
    /// persisted its grain reloads it from the under-storage on the next read.
    /// </summary>
    public ScrubOutcome Scrub(long blockId, byte[] buffer)
    {
        StoredBlock block;
        string path;
        lock (_lock)
        {
            if (!_blocks.TryGetValue(blockId, out block!)) return ScrubOutcome.Gone;
            path = block.Tier.DataPath(blockId);
        }
        SafeFileHandle file;
        try { file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete); }
        catch (FileNotFoundException) { return ScrubOutcome.Gone; }
        using (file)
        {
            var before = BlockFileStamp.Of(file);
            try
            {
                for (long offset = 0; offset < block.Length; offset += BlockSidecar.ChunkBytes)
                    VerifiedBlockReader.Read(file, block.Sidecar, offset, buffer.AsSpan(0, (int)Math.Min(BlockSidecar.ChunkBytes, block.Length - offset)));
            }
            catch (FsException e) when (e.Code == FsErrorCode.ChecksumMismatch)
            {
                DropCorrupt(block, e);
                return ScrubOutcome.Corrupt;
            }
            var after = BlockFileStamp.Of(file);
            lock (_lock)
            {
                bool current = _blocks.TryGetValue(blockId, out var now) && ReferenceEquals(now, block);
                if (current && before is not null && before == after && block.Tier == _tiers[0]) block.Verified = after;
            }
            return ScrubOutcome.Intact;
        }
    }

    public bool Remove(long blockId)
    {
        lock (_lock)
        {
            if (!_blocks.TryGetValue(blockId, out var block)) return false;
            DropLocked(block);
            return true;
        }
    }

    public void SetPinned(long blockId, bool pinned) => UpdateFlags(blockId, s => s.Pinned = pinned);

    public void SetPersisted(long blockId, bool persisted) => UpdateFlags(blockId, s => s.Persisted = persisted);

    /// <summary>Moves a block up to the memory tier when it is lower down and memory can make room.</summary>
    public bool Promote(long blockId)
    {
        lock (_lock)
        {
            if (!_blocks.TryGetValue(blockId, out var block) || block.Tier == _tiers[0]) return false;
            var memory = _tiers[0];
            if (!MakeRoomLocked(memory, block.Length)) return false;
            File.Copy(block.Tier.DataPath(blockId), memory.TempDataPath(blockId), overwrite: true);
            File.Move(memory.TempDataPath(blockId), memory.DataPath(blockId), overwrite: true);
            File.WriteAllBytes(memory.MetaPath(blockId), block.Sidecar.Serialize());
            var from = block.Tier;
            from.Lru.Remove(block.LruNode);
            from.UsedBytes -= block.Length;
            DeleteFiles(from, blockId);
            block.Tier = memory;
            block.Verified = null; // copied, not checked: the first reads and the scrubber check it
            memory.UsedBytes += block.Length;
            memory.Lru.AddLast(block.LruNode);
            return true;
        }
    }

    public IReadOnlyList<TierStats> GetTierStats()
    {
        lock (_lock)
        {
            return _tiers.Select(t => new TierStats
            {
                Name = t.Name,
                Directory = t.Directory,
                CapacityBytes = t.CapacityBytes,
                UsedBytes = t.UsedBytes,
                BlockCount = t.Lru.Count,
                UnevictableBytes = t.Lru.Where(b => !b.Evictable).Sum(b => b.Length),
            }).ToArray();
        }
    }

    /// <summary>Free bytes in the memory tier after dropping every evictable block.</summary>
    public long ReclaimableMemoryBytes()
    {
        lock (_lock)
        {
            var memory = _tiers[0];
            return memory.FreeBytes + memory.Lru.Where(b => b.Evictable).Sum(b => b.Length);
        }
    }

    internal void Grow(BlockTier tier, long bytes, long blockId)
    {
        lock (_lock)
        {
            if (!MakeRoomLocked(tier, bytes)) throw NoSpace(tier, bytes, blockId);
            tier.UsedBytes += bytes;
        }
    }

    internal StoredBlockInfo Commit(BlockTier tier, BlockSidecar sidecar, long reservedBytes)
    {
        long id = sidecar.BlockId;
        File.WriteAllBytes(tier.TempMetaPath(id), sidecar.Serialize());
        // Data first, sidecar last: a crash in between leaves a data file without sidecar, which the scan drops.
        File.Move(tier.TempDataPath(id), tier.DataPath(id), overwrite: true);
        File.Move(tier.TempMetaPath(id), tier.MetaPath(id), overwrite: true);
        var stamp = BlockFileStamp.Of(tier.DataPath(id)); // after the rename, which changes the file's change time
        lock (_lock)
        {
            tier.UsedBytes -= reservedBytes - sidecar.Length;
            // Every chunk was hashed by this worker as it was written: the file as it is now holds verified bytes.
            var block = new StoredBlock(tier, sidecar) { Verified = tier == _tiers[0] ? stamp : null };
            _blocks[id] = block;
            tier.Lru.AddLast(block.LruNode);
            _writing.Remove(id);
            _writers.Remove(id);
            return Describe(block);
        }
    }

    internal void Abort(BlockTier tier, long blockId, long reservedBytes)
    {
        File.Delete(tier.TempDataPath(blockId));
        File.Delete(tier.TempMetaPath(blockId));
        lock (_lock)
        {
            tier.UsedBytes -= reservedBytes;
            _writing.Remove(blockId);
            _writers.Remove(blockId);
        }
    }

    private BlockTier ReserveLocked(long bytes, IReadOnlyList<BlockTier> tiers)
    {
        foreach (var tier in tiers)
        {
            if (bytes > tier.CapacityBytes || !MakeRoomLocked(tier, bytes)) continue;
            tier.UsedBytes += bytes;
            return tier;
        }
        throw NoSpace(tiers[0], bytes, null);
    }

    /// <summary>Evicts least recently used evictable blocks until <paramref name="bytes"/> fit; false if they cannot.</summary>
    private bool MakeRoomLocked(BlockTier tier, long bytes)
    {
        if (tier.FreeBytes >= bytes) return true;
        long reclaimable = tier.Lru.Where(b => b.Evictable).Sum(b => b.Length);
        if (tier.FreeBytes + reclaimable < bytes) return false;
        var node = tier.Lru.First;
        while (node is not null && tier.FreeBytes < bytes)
        {
            var next = node.Next;
            if (node.Value.Evictable)
            {
                LogEvicting(_logger, node.Value.BlockId, node.Value.Length, tier.Name);
                DropLocked(node.Value);
            }
            node = next;
        }
        return true;
    }

    private void DropLocked(StoredBlock block)
    {
        _blocks.Remove(block.BlockId);
        block.Tier.Lru.Remove(block.LruNode);
        block.Tier.UsedBytes -= block.Length;
        DeleteFiles(block.Tier, block.BlockId);
    }

    private static void DeleteFiles(BlockTier tier, long blockId)
    {
        File.Delete(tier.MetaPath(blockId));
        File.Delete(tier.DataPath(blockId));
    }

    private void Touch(StoredBlock block)
    {
        block.Tier.Lru.Remove(block.LruNode);
        block.Tier.Lru.AddLast(block.LruNode);
    }

    private void UpdateFlags(long blockId, Action<BlockSidecar> change)
    {
        lock (_lock)
        {
            if (!_blocks.TryGetValue(blockId, out var block)) return;
            change(block.Sidecar);
            var tier = block.Tier;
            File.WriteAllBytes(tier.TempMetaPath(blockId), block.Sidecar.Serialize());
            File.Move(tier.TempMetaPath(blockId), tier.MetaPath(blockId), overwrite: true);
        }
    }

    private static StoredBlockInfo Describe(StoredBlock block) => new()
    {
        BlockId = block.BlockId,
        Length = block.Length,
        ContentHash = block.Sidecar.ContentHash(),
        Tier = block.Tier.Name,
        Pinned = block.Sidecar.Pinned,
        Persisted = block.Sidecar.Persisted,
        DataPath = block.Tier.DataPath(block.BlockId),
        MetaPath = block.Tier.MetaPath(block.BlockId),
        VerifiedStamp = block.Verified, // only memory-tier blocks are ever trusted
    };

    private FsException NoSpace(BlockTier tier, long bytes, long? blockId)
    {
        long unevictable = tier.Lru.Where(b => !b.Evictable).Sum(b => b.Length);
        string what = blockId is null ? "a new block" : $"block {blockId}";
        return new FsException(FsErrorCode.NoSpace, null,
            $"no space for {what} ({bytes} bytes): {tier.Name} tier holds {tier.UsedBytes} of {tier.CapacityBytes} bytes, " +
            $"{unevictable} of them pinned or not yet persisted");
    }

    /// <summary>Rebuilds the index from the sidecars in a tier directory, discarding torn writes.</summary>
    private void Scan(BlockTier tier)
    {
        TierDirectory.MakePrivate(tier.Directory, _logger);
        if (_namespaceId is not null) ClaimForNamespace(tier, _namespaceId);
        foreach (var path in Directory.EnumerateFiles(tier.Directory))
        {
            string name = Path.GetFileName(path);
            if (name.EndsWith(".tmp", StringComparison.Ordinal)) { File.Delete(path); continue; }
            if (!name.EndsWith(".meta", StringComparison.Ordinal)) continue;
            if (!long.TryParse(name[..^5], out long id)) continue;
            var sidecar = BlockSidecar.TryLoad(path);
            var data = new FileInfo(tier.DataPath(id));
            if (sidecar is null || sidecar.BlockId != id || !data.Exists || data.Length != sidecar.Length || _blocks.ContainsKey(id))
            {
                LogDiscardingDamaged(_logger, id, tier.Directory);
                DeleteFiles(tier, id);
                continue;
            }
            var block = new StoredBlock(tier, sidecar);
            _blocks[id] = block;
            tier.Lru.AddLast(block.LruNode);
            tier.UsedBytes += sidecar.Length;
        }
        foreach (var path in Directory.EnumerateFiles(tier.Directory))
        {
            string name = Path.GetFileName(path);
            if (long.TryParse(name, out long id) && !_blocks.ContainsKey(id)) File.Delete(path);
        }
        LogTierLoaded(_logger, tier.Name, tier.Directory, tier.Lru.Count, tier.UsedBytes, tier.CapacityBytes);
    }

    /// <summary>Empties a tier whose blocks belong to another namespace (or to none recorded), then marks it as this one's.</summary>
    private void ClaimForNamespace(BlockTier tier, string namespaceId)
    {
        string marker = Path.Combine(tier.Directory, NamespaceIdentity.FileName);
        string? owner = File.Exists(marker) ? File.ReadAllText(marker).Trim() : null;
        if (owner == namespaceId) return;
        var files = Directory.EnumerateFiles(tier.Directory).Where(f => f != marker).ToList();
        if (files.Count > 0)
            LogForeignNamespace(_logger, files.Count, tier.Directory, owner ?? "(unrecorded)", namespaceId);
        foreach (string file in files) File.Delete(file);
        File.WriteAllText(marker, namespaceId);
    }

    [LoggerMessage(EventId = 1500, Level = LogLevel.Error, Message = "Block {BlockId} failed its checksum; dropping it: {Reason}")]
    private static partial void LogChecksumFailed(ILogger logger, Exception exception, long blockId, string reason);

    [LoggerMessage(EventId = 1530, Level = LogLevel.Warning,
        Message = "Block {BlockId} file {Path} changed since this worker verified it; its reads are checked against the checksums until it is scrubbed again")]
    private static partial void LogChangedBehindBack(ILogger logger, long blockId, string path);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Information, Message = "Evicting block {BlockId} ({Length} bytes) from {Tier}")]
    private static partial void LogEvicting(ILogger logger, long blockId, long length, string tier);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Warning, Message = "Discarding damaged block {BlockId} in {Directory}")]
    private static partial void LogDiscardingDamaged(ILogger logger, long blockId, string directory);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Information, Message = "Tier {Tier} at {Directory}: found {Count} blocks, {Used} of {Capacity} bytes")]
    private static partial void LogTierLoaded(ILogger logger, string tier, string directory, int count, long used, long capacity);

    [LoggerMessage(EventId = 1504, Level = LogLevel.Warning,
        Message = "Dropping {Files} block files in {Directory}: they belong to namespace {Owner}, not this cluster's {Namespace}")]
    private static partial void LogForeignNamespace(ILogger logger, int files, string directory, string owner, string @namespace);
}
