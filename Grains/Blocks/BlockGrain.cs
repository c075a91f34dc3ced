using System.Buffers;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using OrleansFs.Blocks;
using OrleansFs.Blocks.DataTransfer;
using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Grains.Blocks.DataEndpoint;
using OrleansFs.Grains.Blocks.Placement;
using OrleansFs.Grains.Lineage;
using OrleansFs.Grains.UnderStorage;
using OrleansFs.Master;
using OrleansFs.Paths;

namespace OrleansFs.Grains.Blocks;

/// <summary>
/// One block's life. Its bytes sit in this silo's <see cref="BlockStore"/>; when they are not there (the
/// silo that had them died, or they were evicted) it reloads them from the under-storage if the file is
/// persisted, asks lineage otherwise, and failing both marks the file LOST.
/// </summary>
[BlockPlacement]
public sealed partial class BlockGrain(
    BlockStore store,
    DataEndpointServer dataEndpoint,
    BlockAccessTokens accessTokens,
    IUnderStorage underStorage,
    ILineageRecomputer lineage,
    ILocalSiloDetails silo,
    IClusterMembershipService membership,
    ILogger<BlockGrain> logger) : Grain, IBlockGrain
{
    private BlockWriter? _writer;
    // Reads interleave; concurrent misses share one reload.
    private Task? _loading;

    private long Id => this.GetPrimaryKeyLong();

    public Task<BlockWriteTarget> BeginWrite(BlockWriteRequest request)
    {
        _writer?.Dispose();
        _writer = null;
        if (request.CapacityBytes <= 0) throw FsException.InvalidArgument(request.Path, "block capacity must be positive");
        _writer = store.BeginWrite(Id, request.CapacityBytes, request.Pinned, persisted: false);
        return Task.FromResult(new BlockWriteTarget
        {
            HostId = HostIdentity.Current,
            TempDataPath = _writer.TempDataPath,
            DataEndpoint = dataEndpoint.Endpoint,
            DataEndpointTls = dataEndpoint.Tls,
            WriteToken = accessTokens.Issue(Id, DataRequestKind.Write),
        });
    }

    public Task<BlockAccessToken> RenewWriteToken()
    {
        Writer();
        return Task.FromResult(accessTokens.Issue(Id, DataRequestKind.Write));
    }

    public Task WriteChunk(long offset, ReadOnlyMemory<byte> data)
    {
        Writer().Write(offset, data.Span);
        return Task.CompletedTask;
    }

    public Task<StoredBlockInfo> CompleteWrite()
    {
        var info = Writer().Commit();
        _writer = null;
        LogStored(logger, Id, info.Length, info.Tier);
        return Task.FromResult(info);
    }

    public Task<StoredBlockInfo> CompleteLocalWrite(long length)
    {
        var info = Writer().CommitLocal(length);
        _writer = null;
        return Task.FromResult(info);
    }

    public Task AbortWrite()
    {
        _writer?.Dispose();
        _writer = null;
        return Task.CompletedTask;
    }

    public async Task<byte[]> Read(BlockRef block, long offset, int count, ReadType readType)
    {
        CheckRange(block, offset, count);
        int length = (int)Math.Min(count, block.Length - offset);
        var buffer = new byte[length];
        if (length == 0) return buffer;
        for (int attempt = 0; attempt < 2; attempt++)
        {
            if (await EnsureCachedAsync(block, readType))
            {
                if (ReadStored(block, offset, buffer) is { } read && read == length) return buffer;
                continue; // evicted between the check and the read: look again
            }
            await ReadFromUnderStorageAsync(block, offset, buffer);
            return buffer;
        }
        throw FsException.Unavailable($"block {Id} of {block.Path} keeps being evicted; retry");
    }

    /// <summary>A read of the stored copy; a checksum failure (the copy is dropped) names the file.</summary>
    private int? ReadStored(BlockRef block, long offset, byte[] buffer)
    {
        try { return store.Read(Id, offset, buffer); }
        catch (FsException e) when (e.Code == FsErrorCode.ChecksumMismatch && e.Path is null)
        {
            throw new FsException(e.Code, block.Path, e.Reason);
        }
    }

    public async Task<BlockLocation> Locate(BlockRef block, ReadType readType)
    {
        if (block.Length > 0) await EnsureCachedAsync(block, readType);
        return Location() with { ReadToken = accessTokens.Issue(Id, DataRequestKind.Read) };
    }

    public Task<BlockLocation> GetLocation() => Task.FromResult(Location());

    public Task SetPinned(bool pinned)
    {
        store.SetPinned(Id, pinned);
        return Task.CompletedTask;
    }

    public Task MarkPersisted()
    {
        store.SetPersisted(Id, true);
        return Task.CompletedTask;
    }

    public Task Free(string path)
    {
        var info = store.GetInfo(Id);
        if (info is null) return Task.CompletedTask;
        if (info.Pinned) throw FsException.InvalidArgument(path, $"block {Id} is pinned; unpin it before freeing");
        if (!info.Persisted) throw FsException.InvalidArgument(path, $"block {Id} is not persisted; freeing it would lose data");
        store.Remove(Id);
        return Task.CompletedTask;
    }

    public Task Delete()
    {
        _writer?.Dispose();
        _writer = null;
        store.Remove(Id);
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task<bool> Rebuild(BlockRef block, BlockRef[] scratch)
    {
        if (block.BlockId != Id) throw FsException.InvalidArgument(block.Path, $"block ref {block.BlockId} sent to block {Id}");
        return lineage.RebuildAsync(block, scratch);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _writer?.Dispose();
        _writer = null;
        return Task.CompletedTask;
    }

    private BlockWriter Writer() =>
        _writer ?? throw FsException.InvalidArgument(null, $"block {Id} has no write in progress (BeginWrite first)");

    private BlockLocation Location() => new()
    {
        BlockId = Id,
        SiloAddress = silo.SiloAddress.Endpoint.ToString(),
        HostId = HostIdentity.Current,
        Stored = store.GetInfo(Id),
        DataEndpoint = dataEndpoint.Endpoint,
        DataEndpointTls = dataEndpoint.Tls,
    };

    private void CheckRange(BlockRef block, long offset, int count)
    {
        if (block.BlockId != Id) throw FsException.InvalidArgument(block.Path, $"block ref {block.BlockId} sent to block {Id}");
        if (offset < 0 || offset > block.Length)
            throw FsException.InvalidArgument(block.Path, $"offset {offset} is outside block {Id} of {block.Length} bytes");
        if (count < 0 || count > IBlockGrain.MaxReadBytes)
            throw FsException.InvalidArgument(block.Path, $"read of {count} bytes (at most {IBlockGrain.MaxReadBytes} per call)");
    }

    /// <summary>True when the block is in the store afterwards; false when it should be read from the under-storage.</summary>
    private async Task<bool> EnsureCachedAsync(BlockRef block, ReadType readType)
    {
        var info = store.GetInfo(Id);
        if (info is not null)
        {
            if (info.Length != block.Length)
                throw new FsException(FsErrorCode.ChecksumMismatch, block.Path, $"block {Id} holds {info.Length} bytes, the file says {block.Length}");
            if (block.PersistenceState == PersistenceState.Persisted && !info.Persisted) store.SetPersisted(Id, true);
            if (readType == ReadType.CachePromote) store.Promote(Id);
            return true;
        }
        if (block.PersistenceState == PersistenceState.Persisted)
        {
            if (readType == ReadType.NoCache) return false;
            try
            {
                _loading ??= LoadFromUnderStorageAsync(block);
                try { await _loading; }
                finally { _loading = null; }
                return true;
            }
            catch (FsException e) when (e.Code == FsErrorCode.NoSpace)
            {
                LogNotCachedMemoryFull(logger, e, Id, e.Reason);
                return false;
            }
        }
        await CheckNotHeldElsewhereAsync(block);
        if (await lineage.TryRecomputeAsync(block) && store.Contains(Id)) return true;
        await MarkLostAsync(block);
        throw new FsException(FsErrorCode.FileLost, block.Path,
            $"block {Id} was held only in the memory of a worker that is gone, and the file was never persisted");
    }

    private async Task LoadFromUnderStorageAsync(BlockRef block)
    {
        var path = FsPath.Parse(block.Path);
        await CheckPersistedCopyAsync(block, path);
        using var writer = store.BeginWrite(Id, block.Length, block.Pinned, persisted: true);
        byte[] chunk = ArrayPool<byte>.Shared.Rent(BlockSidecar.ChunkBytes);
        try
        {
            await using var source = await underStorage.OpenReadAsync(path, block.FileOffset);
            for (long done = 0; done < block.Length;)
            {
                int size = (int)Math.Min(BlockSidecar.ChunkBytes, block.Length - done);
                await source.ReadExactlyAsync(chunk.AsMemory(0, size));
                writer.Write(done, chunk.AsSpan(0, size));
                done += size;
            }
            writer.Commit();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        LogReloaded(logger, Id, block.Path);
    }

    private async Task ReadFromUnderStorageAsync(BlockRef block, long offset, byte[] buffer)
    {
        var path = FsPath.Parse(block.Path);
        await CheckPersistedCopyAsync(block, path);
        await using var source = await underStorage.OpenReadAsync(path, block.FileOffset + offset);
        await source.ReadExactlyAsync(buffer);
    }

    private async Task CheckPersistedCopyAsync(BlockRef block, FsPath path)
    {
        var entry = await underStorage.GetEntryAsync(path);
        if (entry is null || entry.IsDirectory || entry.Length < block.FileOffset + block.Length)
            throw new FsException(FsErrorCode.FileLost, block.Path,
                $"block {Id} is not in memory and the persisted copy in the under-storage is missing or too short");
    }

    /// <summary>
    /// Before declaring a loss, make sure no other live worker holds the block (this activation may have
    /// been placed while a probe timed out). If one does, step aside so the next call is placed there.
    /// </summary>
    private async Task CheckNotHeldElsewhereAsync(BlockRef block)
    {
        var others = membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active && !m.SiloAddress.Equals(silo.SiloAddress))
            .Select(m => m.SiloAddress);
        foreach (var other in others)
        {
            WorkerProbe probe;
            try { probe = await GrainFactory.GetGrain<IWorkerGrain>(IWorkerGrain.KeyFor(other)).Probe(Id).WaitAsync(TimeSpan.FromSeconds(5)); }
            catch (Exception e)
            {
                // A loss is recorded for good; never on a guess.
                LogWorkerDidNotAnswer(logger, e, other, Id);
                throw FsException.Unavailable($"block {Id} of {block.Path}: worker {other} did not answer; retry");
            }
            if (!probe.HasBlock) continue;
            DeactivateOnIdle();
            throw FsException.Unavailable($"block {Id} of {block.Path} is held by {other}; retry");
        }
    }

    private async Task MarkLostAsync(BlockRef block)
    {
        LogLost(logger, Id, block.Path);
        try
        {
            await GrainFactory.GetGrain<IMasterGrain>(IMasterGrain.Key)
                .SetAttribute(block.Path, new SetAttributeOptions { PersistenceState = PersistenceState.Lost }, Guid.NewGuid());
        }
        catch (Exception e)
        {
            LogCouldNotMarkLost(logger, e, block.Path);
        }
    }

    [LoggerMessage(EventId = 1510, Level = LogLevel.Debug, Message = "Stored block {BlockId} ({Length} bytes) in {Tier}")]
    private static partial void LogStored(ILogger logger, long blockId, long length, string tier);

    [LoggerMessage(EventId = 1511, Level = LogLevel.Warning, Message = "Block {BlockId} not cached, memory is full: {Reason}")]
    private static partial void LogNotCachedMemoryFull(ILogger logger, Exception exception, long blockId, string reason);

    [LoggerMessage(EventId = 1512, Level = LogLevel.Information, Message = "Reloaded block {BlockId} of {Path} from the under-storage")]
    private static partial void LogReloaded(ILogger logger, long blockId, string path);

    [LoggerMessage(EventId = 1513, Level = LogLevel.Warning, Message = "Worker {Silo} did not answer about block {BlockId}")]
    private static partial void LogWorkerDidNotAnswer(ILogger logger, Exception exception, SiloAddress silo, long blockId);

    [LoggerMessage(EventId = 1514, Level = LogLevel.Error, Message = "Block {BlockId} of {Path} is lost: not in memory and never persisted")]
    private static partial void LogLost(ILogger logger, long blockId, string path);

    [LoggerMessage(EventId = 1515, Level = LogLevel.Warning, Message = "Could not mark {Path} LOST with the master")]
    private static partial void LogCouldNotMarkLost(ILogger logger, Exception exception, string path);
}
