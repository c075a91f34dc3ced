using OrleansFs.Blocks;
using OrleansFs.Blocks.DataTransfer;
using OrleansFs.Client.Metrics;
using OrleansFs.Client.Retry;
using OrleansFs.Client.Streams.DataEndpoint;
using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Metrics;

namespace OrleansFs.Client.Streams;

/// <summary>
/// A completed file opened for reading: seekable, with positional reads (<see cref="ReadAtAsync"/>).
/// Each block is read from its block file directly when the worker holding it is on this machine
/// (checked against the block's chunk checksums unless the file is as its worker verified it), otherwise streamed from that worker's data endpoint
/// (verified there, chunk by chunk), with the next block's stream asked for while the current one is read. When neither works, from its BlockGrain in 1 MiB chunks with a few
/// fetched ahead of a sequential reader; the grain also reloads blocks from the under-storage or reports LOST.
/// </summary>
public sealed class FileInStream : Stream
{
    private const int Chunk = BlockSidecar.ChunkBytes;
    private readonly IGrainFactory _grains;
    // Block calls are reads, safe to repeat: a worker that just died answers "unavailable" until the
    // cluster has declared it dead and the block's grain re-activates (reloading or reporting LOST).
    private readonly RetryPipeline? _retry;
    private readonly FileStatus _file;
    private readonly OpenFileOptions _options;
    private readonly IReadOnlyList<BlockRef> _blocks;
    private readonly BlockSource?[] _sources;
    private readonly Queue<(long FileOffset, Task<byte[]> Bytes)> _ahead = new();
    private readonly DataConnectionPool _pool;
    private EndpointBlockReader _endpoint;
    // Read-ahead across blocks: the next block's stream, asked for while the current block is read.
    private EndpointBlockReader _next;
    private int _nextIndex = -1;
    private Task _nextOpened = Task.CompletedTask;
    private (long FileOffset, byte[] Bytes)? _current;
    private long _position;
    private bool _disposed;

    internal FileInStream(IGrainFactory grains, FileStatus file, OpenFileOptions options, RetryPipeline? retry = null, DataConnectionPool? pool = null)
    {
        _pool = pool ?? DataConnectionPool.Shared;
        _endpoint = new EndpointBlockReader(_pool);
        _next = new EndpointBlockReader(_pool);
        _grains = grains;
        _retry = retry;
        _file = file;
        _options = options;
        _blocks = BlockRef.ForFile(file);
        _sources = new BlockSource?[_blocks.Count];
    }

    public FileStatus Status => _file;
    public override bool CanRead => !_disposed;
    public override bool CanSeek => !_disposed;
    public override bool CanWrite => false;
    public override long Length => _file.Length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        long target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => _file.Length + offset,
        };
        if (target < 0) throw FsException.InvalidArgument(_file.Path, $"cannot seek to negative offset {target}");
        _position = target;
        return target;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read = await ReadCoreAsync(_position, buffer, sequential: true, cancellationToken);
        _position += read;
        return read;
    }

    /// <summary>Reads at <paramref name="position"/> without moving the stream's position.</summary>
    public ValueTask<int> ReadAtAsync(long position, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (position < 0) throw FsException.InvalidArgument(_file.Path, $"negative offset {position}");
        return ReadCoreAsync(position, buffer, sequential: false, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private async ValueTask<int> ReadCoreAsync(long position, Memory<byte> buffer, bool sequential, CancellationToken cancellationToken,
        bool tokenRenewed = false)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (position >= _file.Length || buffer.IsEmpty) return 0;
        int index = (int)(position / _file.BlockSizeBytes);
        var block = _blocks[index];
        long inBlock = position - block.FileOffset;
        int want = (int)Math.Min(buffer.Length, block.Length - inBlock);
        if (_nextIndex == index) await Settled(_nextOpened); // it may be locating this block's source right now
        var source = await SourceAsync(index, cancellationToken);
        if (source.IsLocal)
        {
            try { return ClientMetrics.Read(source.ReadLocal(inBlock, buffer.Span[..want]), MetricNames.Via.ShortCircuit); }
            catch (FsException e) when (e.Code == FsErrorCode.ChecksumMismatch)
            {
                // The local copy is damaged; the worker drops it on its own read and reloads if it can.
                source.Dispose();
                _sources[index] = BlockSource.Remote(block);
            }
        }
        else if (source.Endpoint is { } access)
        {
            // Sequential readers stream the rest of the block; positional reads ask for just their range.
            long streamEnd = sequential ? block.Length : inBlock + want;
            if (sequential) await ReadAheadAsync(index, inBlock, cancellationToken);
            try { return ClientMetrics.Read(await _endpoint.ReadAsync(access, block.BlockId, inBlock, streamEnd, buffer[..want], cancellationToken), MetricNames.Via.DataEndpoint); }
            catch (DataEndpointException e) when (e.Status == DataStatus.Forbidden && !tokenRenewed)
            {
                // The read token ran out (or its worker restarted since): the block's grain issues a new one.
                _sources[index] = null;
                return await ReadCoreAsync(position, buffer, sequential, cancellationToken, tokenRenewed: true);
            }
            catch (Exception e) when (DataEndpointException.CanFallBack(e))
            {
                // The worker is unreachable, died mid-read or no longer has the block: its grain knows what to do.
                if (e is not DataEndpointException) _pool.Forget(access.Endpoint);
                _sources[index] = BlockSource.Remote(block);
            }
            catch (DataEndpointException e)
            {
                throw e.ToFsException(_file.Path);
            }
            catch (DataEndpointTlsException e)
            {
                throw e.ToFsException(_file.Path);
            }
        }
        long chunkStart = block.FileOffset + inBlock / Chunk * Chunk;
        var bytes = await ChunkAsync(chunkStart, sequential, cancellationToken);
        int skip = (int)(position - chunkStart);
        int take = Math.Min(want, bytes.Length - skip);
        bytes.AsSpan(skip, take).CopyTo(buffer.Span);
        return ClientMetrics.Read(take, MetricNames.Via.Grain);
    }

    /// <summary>
    /// Before a sequential endpoint read of block <paramref name="index"/>: takes over the stream asked for ahead when
    /// it is this block's, from its start, and asks for the next block's (one block ahead, so what waits is bounded
    /// by one connection's socket buffers). A stream ahead for another block (after a seek) is dropped.
    /// </summary>
    private async ValueTask ReadAheadAsync(int index, long inBlock, CancellationToken cancellationToken)
    {
        if (_nextIndex == index && inBlock == 0)
        {
            await Settled(_nextOpened);
            (_endpoint, _next) = (_next, _endpoint);
            _nextIndex = -1;
        }
        if (_nextIndex == index + 1 || index + 1 >= _blocks.Count) return;
        await DropReadAheadAsync();
        _nextIndex = index + 1;
        _nextOpened = OpenAheadAsync(index + 1, cancellationToken);
    }

    private async Task OpenAheadAsync(int index, CancellationToken cancellationToken)
    {
        await Task.Yield(); // the caller's read goes on meanwhile
        var source = await SourceAsync(index, cancellationToken);
        if (source.Endpoint is { } access && !_disposed)
            await _next.OpenAsync(access, _blocks[index].BlockId, 0, _blocks[index].Length, cancellationToken);
    }

    private async ValueTask DropReadAheadAsync()
    {
        await Settled(_nextOpened);
        _next.Dispose();
        _nextIndex = -1;
    }

    /// <summary>Waits for a read-ahead start; its failure only means the block is asked for when it is read.</summary>
    private static async Task Settled(Task task)
    {
        try { await task; }
        catch (Exception) { }
    }

    private async ValueTask<BlockSource> SourceAsync(int index, CancellationToken cancellationToken)
    {
        if (_sources[index] is { } known) return known;
        var block = _blocks[index];
        var grain = _grains.GetGrain<IBlockGrain>(block.BlockId);
        BlockSource source = BlockSource.Remote(block);
        if (_options.ShortCircuit || _options.DataEndpoint)
        {
            var location = await RetryAsync(() => grain.Locate(block, _options.ReadType), cancellationToken);
            source = BlockSource.For(block, location, _options.ShortCircuit, _options.DataEndpoint);
        }
        return _sources[index] = source;
    }

    /// <summary>The chunk starting at <paramref name="fileOffset"/>, from the read-ahead queue when it is there.</summary>
    private async Task<byte[]> ChunkAsync(long fileOffset, bool sequential, CancellationToken cancellationToken)
    {
        if (_current is { } current && current.FileOffset == fileOffset) return current.Bytes;
        while (_ahead.Count > 0 && _ahead.Peek().FileOffset != fileOffset) Observe(_ahead.Dequeue().Bytes); // a seek: drop stale fetches
        var pending = _ahead.Count > 0 ? _ahead.Dequeue().Bytes : Fetch(fileOffset);
        if (sequential) FillReadAhead(fileOffset);
        var bytes = await pending.WaitAsync(cancellationToken);
        _current = (fileOffset, bytes);
        return bytes;
    }

    private void FillReadAhead(long fileOffset)
    {
        long next = _ahead.Count > 0 ? NextChunk(_ahead.Last().FileOffset) : NextChunk(fileOffset);
        while (_ahead.Count < _options.ReadAheadChunks && next < _file.Length)
        {
            int index = (int)(next / _file.BlockSizeBytes);
            // Only blocks known to be read through their grain; the others are read from files or endpoints.
            if (_sources[index] is not { IsLocal: false, Endpoint: null }) break;
            _ahead.Enqueue((next, Fetch(next)));
            next = NextChunk(next);
        }
    }

    private long NextChunk(long fileOffset)
    {
        var block = _blocks[(int)(fileOffset / _file.BlockSizeBytes)];
        long next = fileOffset + Chunk;
        return next < block.FileOffset + block.Length ? next : block.FileOffset + block.Length;
    }

    private Task<byte[]> Fetch(long fileOffset)
    {
        var block = _blocks[(int)(fileOffset / _file.BlockSizeBytes)];
        long inBlock = fileOffset - block.FileOffset;
        int count = (int)Math.Min(Chunk, block.Length - inBlock);
        var grain = _grains.GetGrain<IBlockGrain>(block.BlockId);
        return RetryAsync(() => grain.Read(block, inBlock, count, _options.ReadType), CancellationToken.None);
    }

    private Task<T> RetryAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken) =>
        _retry is null ? call().WaitAsync(cancellationToken) : _retry.ExecuteAsync(_file.Path, call, cancellationToken);

    /// <summary>Abandoned fetches still complete; observe their faults so they are not reported as unobserved.</summary>
    private static void Observe(Task task) => task.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);

    protected override void Dispose(bool disposing)
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var source in _sources) source?.Dispose();
        _endpoint.Dispose();
        // A read-ahead still opening disposes what it opened once it settles.
        _nextOpened.ContinueWith(_ => _next.Dispose(), TaskScheduler.Default);
        foreach (var (_, bytes) in _ahead) Observe(bytes);
        _ahead.Clear();
        base.Dispose(disposing);
    }
}
