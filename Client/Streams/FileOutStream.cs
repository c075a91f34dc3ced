using System.Buffers;
using OrleansFs.Blocks;
using OrleansFs.Blocks.DataTransfer;
using OrleansFs.Client.Metrics;
using OrleansFs.Client.Retry;
using OrleansFs.Client.Streams.DataEndpoint;
using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Master;
using OrleansFs.Metrics;

namespace OrleansFs.Client.Streams;

/// <summary>
/// A file being written. Bytes are cut into chunks of at most 1 MiB (pooled buffers) and, with a few in
/// flight, written straight into the block file when its worker is on this host, else streamed to the
/// worker's data endpoint (a window of chunk frames acknowledged in batches, <see cref="EndpointBlockWriter"/>),
/// else (no endpoint, or it is unreachable) sent through the block's grain. Each
/// chunk is hashed here too, and a sealed block must come back with the same content hash. A full block is
/// sealed and the next begins; a block streamed to an endpoint is sealed (its window drained, its write completed and
/// checked) while the next block's chunks already stream, at most one such seal behind, so the pipe does not run empty
/// at every block boundary. Disposing completes the
/// file with the master and, by write type, persists it (CACHE_THROUGH), schedules persistence
/// (ASYNC_THROUGH) or commits the under-storage copy (THROUGH). After a failure, disposing deletes the
/// incomplete file instead.
/// </summary>
public sealed class FileOutStream : Stream
{
    private const int MaxInFlight = 4;
    private readonly IGrainFactory _grains;
    private readonly FileStatus _file;
    private readonly WriteType _writeType;
    private readonly Queue<Task> _inFlight = new();
    private byte[] _chunk = ArrayPool<byte>.Shared.Rent(BlockSidecar.ChunkBytes);
    private int _chunkFill;
    private long _chunkOffset;
    // Index of the block the next chunk goes to (blocks before it are sealed or being sealed).
    private int _blockIndex;
    private readonly bool _shortCircuit;
    private readonly bool _dataEndpoint;
    private WritingBlock? _block;
    // The previous block's seal while it runs behind the current block's writes, and that block.
    private Task? _sealing;
    private WritingBlock? _sealingBlock;
    private readonly DataConnectionPool _pool;
    private IUnderStorageWriterGrain? _through;
    private long _length;
    private bool _failed;
    private bool _closed;
    private readonly RetryPipeline _retry;
    // One id per change for the stream's whole life: a completion retried after a failover is answered from the
    // master's retry cache instead of being applied (or refused) again.
    private readonly Guid _completeId = Guid.NewGuid();
    private readonly Guid _markId = Guid.NewGuid();
    private readonly Guid _discardId = Guid.NewGuid();

    internal FileOutStream(IGrainFactory grains, FileStatus file, WriteType writeType, bool shortCircuit, bool dataEndpoint = true,
        RetryPipeline? retry = null, DataConnectionPool? pool = null)
    {
        _pool = pool ?? DataConnectionPool.Shared;
        _retry = retry ?? RetryPipeline.Default;
        _shortCircuit = shortCircuit;
        _dataEndpoint = dataEndpoint;
        _grains = grains;
        _file = file;
        _writeType = writeType;
    }

    public string Path => _file.Path;
    private IMasterGrain Master => _grains.GetGrain<IMasterGrain>(IMasterGrain.Key);
    private OrleansFs.Client.FileSystem.MetadataReads Reads => OrleansFs.Client.FileSystem.MetadataReads.For(_grains);
    private long BlockSize => _file.BlockSizeBytes;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => !_closed;
    public override long Length => _length;
    public override long Position { get => _length; set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        try
        {
            while (!buffer.IsEmpty)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int room = ChunkCapacity() - _chunkFill;
                int take = Math.Min(room, buffer.Length);
                buffer.Span[..take].CopyTo(_chunk.AsSpan(_chunkFill));
                _chunkFill += take;
                _length += take;
                buffer = buffer[take..];
                if (_chunkFill == ChunkCapacity()) await SendChunkAsync(cancellationToken);
            }
            await EndEndpointBatchAsync(cancellationToken);
        }
        catch (Exception e) when (IsInterruption(e, cancellationToken))
        {
            _failed = true;
            throw Interrupted(e);
        }
        catch
        {
            _failed = true;
            throw;
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush() { }
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Abandons the write: nothing of it stays in the namespace.</summary>
    public async Task CancelAsync()
    {
        _failed = true;
        await DisposeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        if (_closed) return;
        _closed = true;
        try
        {
            if (!_failed) await FinishAsync();
        }
        catch (Exception e) when (IsInterruption(e, CancellationToken.None))
        {
            _failed = true;
            throw Interrupted(e);
        }
        catch
        {
            _failed = true;
            throw;
        }
        finally
        {
            if (_failed) await DiscardAsync();
            ArrayPool<byte>.Shared.Return(_chunk);
            await base.DisposeAsync();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_closed) DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>
    /// A silo (the master's or a worker's) died or became unreachable mid-write. The stream does not resume,
    /// so the caller gets one clear error naming the file instead of a transport exception, and the partial
    /// file is discarded.
    /// </summary>
    private static bool IsInterruption(Exception e, CancellationToken callerToken) =>
        e is not FsException
        && !(e is OperationCanceledException && callerToken.IsCancellationRequested)
        && TransientFailure.IsTransient(e);

    private FsException Interrupted(Exception e) => new(FsErrorCode.Unavailable, Path,
        $"the write was interrupted and nothing of it was kept ({e.GetBaseException().Message.Split('\n')[0].Trim()}); write the file again");

    /// <summary>Chunks end at block boundaries so each block's chunks are aligned within it.</summary>
    private int ChunkCapacity() => _writeType == WriteType.Through
        ? BlockSidecar.ChunkBytes
        : (int)Math.Min(BlockSidecar.ChunkBytes, BlockSize - (_chunkOffset - (long)_blockIndex * BlockSize));

    private async Task SendChunkAsync(CancellationToken cancellationToken)
    {
        if (_chunkFill == 0) return;
        var buffer = _chunk;
        int length = _chunkFill;
        long fileOffset = _chunkOffset;
        _chunk = ArrayPool<byte>.Shared.Rent(BlockSidecar.ChunkBytes);
        _chunkFill = 0;
        _chunkOffset += length;
        if (_writeType == WriteType.Through)
        {
            _through ??= await OpenThroughAsync();
            Enqueue(SendAsync(_through.Write(fileOffset, buffer.AsMemory(0, length)), buffer, length));
        }
        else
        {
            if (_sealing is { IsCompleted: true }) await EndSealAsync(); // a failed seal fails the write now, not at the end
            var block = _block ??= await BeginBlockAsync();
            long blockOffset = fileOffset - (long)block.Index * BlockSize;
            block.ChunkHashes.Add(BlockSidecar.Hash(buffer.AsSpan(0, length)));
            block.Bytes += length;
            if (block.Local is not null)
            {
                RandomAccess.Write(block.Local, buffer.AsSpan(0, length), blockOffset);
                ClientMetrics.Written(length, MetricNames.Via.ShortCircuit);
                ArrayPool<byte>.Shared.Return(buffer);
            }
            else if (block.Endpoint is not null)
            {
                await WriteBlockChunkAsync(block, blockOffset, buffer, length, cancellationToken);
            }
            else
            {
                Enqueue(SendAsync(block.Grain.WriteChunk(blockOffset, buffer.AsMemory(0, length)), buffer, length));
            }
            if (blockOffset + length == BlockSize) await SealBlockAsync();
        }
        while (_inFlight.Count >= MaxInFlight) await _inFlight.Dequeue().WaitAsync(cancellationToken);
    }

    private void Enqueue(Task send) => _inFlight.Enqueue(send);

    private static async Task SendAsync(Task call, byte[] buffer, int length)
    {
        // The buffer goes back to the pool only once the call is done with it.
        try { await call; ClientMetrics.Written(length, MetricNames.Via.Grain); }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
    }

    /// <summary>
    /// One chunk of the current block: onto its data endpoint's window while that works, else through its grain. The
    /// chunk's buffer is the callee's from here on.
    /// </summary>
    private async Task WriteBlockChunkAsync(WritingBlock block, long offset, byte[] buffer, int length, CancellationToken cancellationToken)
    {
        if (block.Endpoint is { } writer)
        {
            try
            {
                await writer.WriteAsync(offset, buffer, length, cancellationToken);
                ClientMetrics.Written(length, MetricNames.Via.DataEndpoint);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                await RecoverAsync(block, writer, e, cancellationToken);
            }
            return;
        }
        try
        {
            await block.Grain.WriteChunk(offset, buffer.AsMemory(0, length));
            ClientMetrics.Written(length, MetricNames.Via.Grain);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The endpoint failed with chunks of the window unacknowledged. An expired write token is renewed once and the
    /// chunks go again; a worker that does not speak batched writes (an older release answers their frames as a bad
    /// request) gets them again as answered writes, and so does every later block on that endpoint; an endpoint that is
    /// unreachable or died mid-window gets the rest of the block through its grain, which also says whether the worker
    /// is gone (the write then fails naming the file). Anything else is the user's error, naming the file.
    /// </summary>
    private async Task RecoverAsync(WritingBlock block, EndpointBlockWriter writer, Exception failure, CancellationToken cancellationToken)
    {
        var chunks = writer.TakeUnacknowledged();
        if (failure is DataEndpointException { Status: DataStatus.Forbidden } && !block.TokenRenewed)
        {
            block.TokenRenewed = true;
            block.Endpoint = new EndpointBlockWriter(_pool, writer.Access with { Token = await block.Grain.RenewWriteToken() }, block.BlockId, writer.Batched);
        }
        else if (failure is DataEndpointException { Status: DataStatus.BadRequest } && writer.Batched)
        {
            _pool.RefusesBatchedWrites(writer.Access.Endpoint);
            block.Endpoint = new EndpointBlockWriter(_pool, writer.Access, block.BlockId, batched: false);
        }
        else if (DataEndpointException.CanFallBack(failure))
        {
            block.Endpoint = null;
            _pool.Forget(writer.Access.Endpoint);
        }
        else
        {
            foreach (var chunk in chunks) ArrayPool<byte>.Shared.Return(chunk.Buffer);
            throw failure switch
            {
                DataEndpointException e => e.ToFsException(Path),
                DataEndpointTlsException e => e.ToFsException(Path),
                _ => failure,
            };
        }
        foreach (var (offset, buffer, length) in chunks) await WriteBlockChunkAsync(block, offset, buffer, length, cancellationToken);
    }

    /// <summary>The caller gets control back: the chunks sent so far are acknowledged as one batch, without waiting here.</summary>
    private async Task EndEndpointBatchAsync(CancellationToken cancellationToken)
    {
        if (_block is not { Endpoint: { } writer } block) return;
        try { await writer.EndBatchAsync(cancellationToken); }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await RecoverAsync(block, writer, e, cancellationToken);
        }
    }

    /// <summary>Waits for the endpoint to acknowledge every chunk of a block (recovering as a write does).</summary>
    private async Task FlushEndpointAsync(WritingBlock block)
    {
        while (block.Endpoint is { } writer)
        {
            try
            {
                await writer.FlushAsync(CancellationToken.None);
                return;
            }
            catch (Exception e)
            {
                await RecoverAsync(block, writer, e, CancellationToken.None);
            }
        }
    }

    private async Task<WritingBlock> BeginBlockAsync()
    {
        if (_blockIndex >= 1 << 24) throw FsException.InvalidArgument(Path, "file has more blocks than a block id can number");
        long blockId = IBlockGrain.BlockIdOf(_file.InodeId, _blockIndex);
        var block = new WritingBlock(_grains.GetGrain<IBlockGrain>(blockId), blockId, _blockIndex);
        RequestContext.Set(IBlockGrain.BlockBytesContextKey, BlockSize);
        try
        {
            var target = await block.Grain.BeginWrite(new BlockWriteRequest { Path = Path, CapacityBytes = BlockSize, Pinned = _file.Pinned });
            if (_shortCircuit && target.HostId == HostIdentity.Current && File.Exists(target.TempDataPath))
                block.Local = File.OpenHandle(target.TempDataPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            else if (_dataEndpoint && target.DataEndpoint != "")
            {
                var access = new EndpointAccess(target.DataEndpoint, target.DataEndpointTls, target.WriteToken);
                block.Endpoint = new EndpointBlockWriter(_pool, access, blockId, _pool.TakesBatchedWrites(access.Endpoint));
                block.StartedOnEndpoint = true;
            }
        }
        finally
        {
            RequestContext.Remove(IBlockGrain.BlockBytesContextKey);
        }
        return block;
    }

    /// <summary>
    /// Seals the current block. One that began on a data endpoint is sealed behind the next block's writes (after the
    /// seal before it has ended); any other is sealed here, after its chunks in flight through the grain are done.
    /// </summary>
    private async Task SealBlockAsync()
    {
        var block = _block!;
        _block = null;
        _blockIndex = block.Index + 1;
        await EndSealAsync();
        if (block.StartedOnEndpoint)
        {
            _sealingBlock = block;
            _sealing = SealAsync(block);
            return;
        }
        await DrainAsync();
        await SealAsync(block);
    }

    /// <summary>Waits for the seal running behind, if any; its failure is the write's.</summary>
    private async Task EndSealAsync()
    {
        if (_sealing is not { } sealing) return;
        _sealing = null;
        _sealingBlock = null;
        await sealing;
    }

    private async Task SealAsync(WritingBlock block)
    {
        await FlushEndpointAsync(block);
        StoredBlockInfo stored;
        if (block.Local is { } local)
        {
            local.Dispose();
            block.Local = null;
            stored = await block.Grain.CompleteLocalWrite(block.Bytes);
        }
        else
        {
            stored = await block.Grain.CompleteWrite();
        }
        CheckStored(block, stored);
        block.Sealed = true;
        block.Endpoint?.Dispose();
        block.Endpoint = null;
    }

    /// <summary>The worker hashed what it stored; it must be what was sent.</summary>
    private void CheckStored(WritingBlock block, StoredBlockInfo stored)
    {
        ulong expected = BlockSidecar.ContentHashOf(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(block.ChunkHashes));
        if (stored.Length != block.Bytes || stored.ContentHash != expected)
            throw new FsException(FsErrorCode.ChecksumMismatch, Path,
                $"block {stored.BlockId} was stored as {stored.Length} bytes with other contents than the {block.Bytes} bytes sent");
    }

    private async Task DrainAsync()
    {
        while (_inFlight.Count > 0) await _inFlight.Dequeue();
    }

    private async Task<IUnderStorageWriterGrain> OpenThroughAsync()
    {
        var grain = _grains.GetGrain<IUnderStorageWriterGrain>(Guid.NewGuid());
        await grain.Open(Path);
        return grain;
    }

    private async Task FinishAsync()
    {
        await SendChunkAsync(CancellationToken.None);
        await DrainAsync();
        if (_block is not null) await SealBlockAsync();
        await EndSealAsync();
        if (_writeType == WriteType.Through)
        {
            _through ??= await OpenThroughAsync(); // an empty file still gets its under-storage copy
            await _through.Commit();
        }
        Reads.Observe(await _retry.ExecuteAsync(Path, () => Master.CompleteFile(Path, _length, _completeId), CancellationToken.None));
        switch (_writeType)
        {
            case WriteType.Through:
                await MarkAsync(PersistenceState.Persisted);
                break;
            case WriteType.CacheThrough:
                Reads.Observe(await _grains.GetGrain<IPersistGrain>(_file.InodeId).Persist(Path));
                break;
            case WriteType.AsyncThrough:
                await MarkAsync(PersistenceState.ToBePersisted);
                await _grains.GetGrain<IPersistGrain>(_file.InodeId).Schedule(Path);
                break;
        }
    }

    private async Task MarkAsync(PersistenceState state)
    {
        var change = new SetAttributeOptions { PersistenceState = state };
        Reads.Observe(await _retry.ExecuteAsync(Path, () => Master.SetAttribute(Path, change, _markId), CancellationToken.None));
    }

    /// <summary>
    /// Removes what the failed write left: first the file from the namespace, then its blocks and under-storage copy.
    /// Each step is on its own, so one that cannot be done (the worker holding a block died with it) does not keep
    /// the others from being done; above all not the namespace delete, else a file already completed before the
    /// failure (a CACHE_THROUGH file whose persist found a block lost) would stay listed as complete.
    /// </summary>
    private async Task DiscardAsync()
    {
        try { await Task.WhenAll(_inFlight); } catch { /* the failure that got us here is what the caller sees */ }
        _inFlight.Clear();
        // A seal behind the writes ends first (it may have failed: its block is deleted below as any other).
        var sealingBlock = _sealingBlock;
        try { await EndSealAsync(); } catch { /* as above */ }
        foreach (var block in new[] { sealingBlock, _block })
        {
            block?.Local?.Dispose();
            block?.Endpoint?.Dispose();
            if (block is not null) block.Endpoint = null;
        }
        // The delete's position is the client's from now on, so its next read (from any warm standby) cannot see the file.
        await BestEffortAsync(async () => Reads.Observe(await _retry.ExecuteAsync(Path, () => Master.Delete(Path, recursive: false, _discardId), CancellationToken.None)));
        var cleanups = new List<Task>();
        if (_block is not null) cleanups.Add(BestEffortAsync(_block.Grain.AbortWrite));
        if (_through is not null) cleanups.Add(BestEffortAsync(_through.Abort));
        for (int i = 0; i < _blockIndex; i++)
        {
            long blockId = IBlockGrain.BlockIdOf(_file.InodeId, i);
            cleanups.Add(BestEffortAsync(() => _grains.GetGrain<IBlockGrain>(blockId).Delete()));
        }
        await Task.WhenAll(cleanups);
    }

    /// <summary>
    /// A discard step that may fail: an incomplete file left behind is visible as such (not completed) and can be
    /// deleted, and a block left in a worker's memory is dropped with it or lost with its worker.
    /// </summary>
    private static async Task BestEffortAsync(Func<Task> step)
    {
        try { await step(); }
        catch (Exception) { /* the failure that got us here is what the caller sees */ }
    }
}
