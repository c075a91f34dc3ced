using Microsoft.Extensions.Logging;
using OrleansFs.Blocks;
using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Grains.UnderStorage;
using OrleansFs.Master;
using OrleansFs.Paths;

namespace OrleansFs.Grains.Blocks;

/// <summary>
/// Persists one file (key: inode id): streams its blocks from their BlockGrains into the under-storage
/// (temp name, then rename), tells the master, then marks each block persisted so it becomes evictable.
/// </summary>
[Orleans.Concurrency.Reentrant]
public sealed partial class PersistGrain(IUnderStorage underStorage, ILogger<PersistGrain> logger) : Grain, IPersistGrain
{
    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)];
    // One copy at a time per file; a second request waits and then finds the file already persisted.
    private readonly SemaphoreSlim _gate = new(1, 1);

    private long InodeId => this.GetPrimaryKeyLong();
    private IMasterGrain Master => GrainFactory.GetGrain<IMasterGrain>(IMasterGrain.Key);

    public async Task<JournalPosition> Persist(string path)
    {
        await _gate.WaitAsync();
        try { return await PersistOnceAsync(path); }
        finally { _gate.Release(); }
    }

    public Task Schedule(string path)
    {
        _ = PersistWithRetriesAsync(path);
        return Task.CompletedTask;
    }

    private async Task PersistWithRetriesAsync(string path)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                await Persist(path);
                return;
            }
            catch (FsException e) when (e.Code is FsErrorCode.NotFound or FsErrorCode.FileLost)
            {
                LogNotPersisting(logger, e, path, e.Message);
                return;
            }
            catch (Exception e) when (attempt < RetryDelays.Length)
            {
                LogPersistRetrying(logger, e, path, RetryDelays[attempt]);
                await Task.Delay(RetryDelays[attempt]);
            }
            catch (Exception e)
            {
                LogPersistFailed(logger, e, path);
                return;
            }
        }
    }

    private async Task<JournalPosition> PersistOnceAsync(string path)
    {
        var status = await Master.GetStatus(path);
        if (status.InodeId != InodeId) throw FsException.NotFound(path); // replaced or deleted meanwhile
        if (!status.Completed) throw new FsException(FsErrorCode.FileIncomplete, path, "file is still being written");
        if (status.PersistenceState == PersistenceState.Persisted) return status.Journal;
        var blocks = BlockRef.ForFile(status);
        await using (var writer = await underStorage.CreateAsync(FsPath.Parse(path)))
        {
            foreach (var block in blocks)
            {
                if (!await TryCopyLocalAsync(block, writer)) await CopyRemoteAsync(block, writer);
            }
            // Renamed or deleted while copying: committing would put a copy where the file no longer is
            // (the master's cleanup of that rename or delete may already have run). Disposing drops the temp.
            if ((await Master.GetStatus(path)).InodeId != InodeId) throw FsException.NotFound(path);
            await writer.CommitAsync();
        }
        var marked = await Master.SetAttribute(path, new SetAttributeOptions { PersistenceState = PersistenceState.Persisted }, Guid.NewGuid());
        await Task.WhenAll(blocks.Select(b => GrainFactory.GetGrain<IBlockGrain>(b.BlockId).MarkPersisted()));
        LogPersisted(logger, path, status.Length, blocks.Count);
        return marked.Journal;
    }

    /// <summary>Copies a block from its file when its worker is on this host (checked against its checksums).</summary>
    private async Task<bool> TryCopyLocalAsync(BlockRef block, IUnderStorageWriter target)
    {
        var location = await GrainFactory.GetGrain<IBlockGrain>(block.BlockId).Locate(block, ReadType.NoCache);
        if (location.Stored is not { } stored || location.HostId != HostIdentity.Current) return false;
        var sidecar = BlockSidecar.TryLoad(stored.MetaPath);
        if (sidecar is null || sidecar.Length != block.Length) return false;
        Microsoft.Win32.SafeHandles.SafeFileHandle file;
        try { file = File.OpenHandle(stored.DataPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete); }
        catch (IOException) { return false; }
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(BlockSidecar.ChunkBytes);
        try
        {
            using (file)
            {
                for (long offset = 0; offset < block.Length; offset += BlockSidecar.ChunkBytes)
                {
                    int count = (int)Math.Min(BlockSidecar.ChunkBytes, block.Length - offset);
                    VerifiedBlockReader.Read(file, sidecar, offset, buffer.AsSpan(0, count));
                    await target.WriteAsync(block.FileOffset + offset, buffer.AsMemory(0, count));
                }
            }
            return true;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task CopyRemoteAsync(BlockRef block, IUnderStorageWriter target)
    {
        var grain = GrainFactory.GetGrain<IBlockGrain>(block.BlockId);
        for (long offset = 0; offset < block.Length; offset += IBlockGrain.MaxReadBytes)
        {
            int count = (int)Math.Min(IBlockGrain.MaxReadBytes, block.Length - offset);
            await target.WriteAsync(block.FileOffset + offset, await grain.Read(block, offset, count, ReadType.NoCache));
        }
    }

    [LoggerMessage(EventId = 1400, Level = LogLevel.Warning, Message = "Not persisting {Path}: {Reason}")]
    private static partial void LogNotPersisting(ILogger logger, Exception exception, string path, string reason);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "Persisting {Path} failed; retrying in {Delay}")]
    private static partial void LogPersistRetrying(ILogger logger, Exception exception, string path, TimeSpan delay);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Error, Message = "Persisting {Path} failed for good; it stays ToBePersisted")]
    private static partial void LogPersistFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Information, Message = "Persisted {Path} ({Length} bytes, {Blocks} blocks)")]
    private static partial void LogPersisted(ILogger logger, string path, long length, int blocks);
}
