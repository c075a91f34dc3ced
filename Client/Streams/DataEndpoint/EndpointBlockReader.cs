using System.Buffers;
using OrleansFs.Blocks;
using OrleansFs.Blocks.DataTransfer;

namespace OrleansFs.Client.Streams.DataEndpoint;

/// <summary>
/// A reader's open streaming read on a data endpoint: one request for the rest of a block (or for one
/// positional range), whose verified frames land directly in the caller's buffers. The worker runs ahead of
/// the reader as far as the socket buffers let it, which is the read-ahead. A read elsewhere drops the stream. On
/// plain TCP the read is confirmed (<see cref="DataRequestKind.ReadConfirmed"/>): a frame's bytes are handed out only
/// after the worker confirmed them, into the caller's buffer when it holds the whole frame, else through one pooled
/// frame buffer.
/// </summary>
internal sealed class EndpointBlockReader(DataConnectionPool pool) : IDisposable
{
    private DataConnection? _connection;
    private long _blockId = -1;
    private long _next;
    private long _end;
    private int _frameLeft;
    private bool _confirmed;
    // A confirmed frame: taken straight into the caller's buffer (_direct bytes), or held in _frame from _frameAt.
    private int _direct;
    private byte[]? _frame;
    private int _frameAt;
    private int _buffered;

    /// <summary>
    /// Reads up to <paramref name="destination"/>.Length bytes at <paramref name="offset"/> in the block,
    /// streaming on to <paramref name="streamEnd"/> when a new request is needed. A stream whose connection is lost
    /// mid-block (the worker's endpoint restarted, a connection reset) is asked for again once, on a new connection,
    /// from <paramref name="offset"/>: nothing of the broken frame was handed out, so the caller gets the bytes at its
    /// position. A second loss is the caller's to handle (it falls back to the block's grain).
    /// </summary>
    public async ValueTask<int> ReadAsync(EndpointAccess access, long blockId, long offset, long streamEnd, Memory<byte> destination,
        CancellationToken cancellationToken)
    {
        bool streaming = _connection is not null && _blockId == blockId && _next == offset;
        try
        {
            return await ReadOnceAsync(access, blockId, offset, streamEnd, destination, cancellationToken);
        }
        catch (IOException) when (streaming && !cancellationToken.IsCancellationRequested)
        {
            Resumed++;
            return await ReadOnceAsync(access, blockId, offset, streamEnd, destination, cancellationToken);
        }
    }

    /// <summary>
    /// Asks for the block from <paramref name="offset"/> to <paramref name="streamEnd"/> without reading any of it yet,
    /// so the worker starts sending while the caller still reads another block (read-ahead across blocks). A later
    /// <see cref="ReadAsync"/> at that offset continues this stream.
    /// </summary>
    public Task OpenAsync(EndpointAccess access, long blockId, long offset, long streamEnd, CancellationToken cancellationToken) =>
        StartAsync(access, blockId, offset, streamEnd, cancellationToken);

    /// <summary>Streams resumed on a new connection after a lost one, for tests and diagnostics.</summary>
    public int Resumed { get; private set; }

    private async ValueTask<int> ReadOnceAsync(EndpointAccess access, long blockId, long offset, long streamEnd, Memory<byte> destination,
        CancellationToken cancellationToken)
    {
        string endpoint = access.Endpoint;
        try
        {
            if (_connection is null || _connection.Endpoint != endpoint || _blockId != blockId || _next != offset)
                await StartAsync(access, blockId, offset, streamEnd, cancellationToken);
            var connection = _connection!;
            if (_buffered == 0 && _confirmed) await ReceiveConfirmedFrameAsync(connection, destination, cancellationToken);
            if (_direct > 0) return Advance(_direct, clearDirect: true);
            if (_buffered > 0)
            {
                int copy = Math.Min(destination.Length, _buffered);
                _frame.AsSpan(_frameAt, copy).CopyTo(destination.Span);
                _frameAt += copy;
                _buffered -= copy;
                return Advance(copy, clearDirect: false);
            }
            if (_frameLeft == 0)
            {
                _frameLeft = await connection.ReceiveOkAsync(cancellationToken);
                if (_frameLeft == 0) throw new IOException($"data endpoint {endpoint} sent an empty data frame");
            }
            int take = (int)Math.Min(Math.Min(destination.Length, _frameLeft), _end - _next);
            await connection.ReceiveAsync(destination[..take], cancellationToken);
            _frameLeft -= take;
            return Advance(take, clearDirect: false);
        }
        catch (DataEndpointException e) when (e.Status == DataStatus.BadRequest && _confirmed)
        {
            // A worker that does not know confirmed reads (an older version) refused it and closed: plain reads from now on.
            pool.NoConfirmedReads(endpoint);
            Finish(reusable: false);
            throw new IOException($"data endpoint {endpoint} does not serve confirmed reads: {e.Message}", e);
        }
        catch (DataEndpointException)
        {
            Finish(reusable: true); // an error frame ends the response cleanly
            throw;
        }
        catch
        {
            Finish(reusable: false);
            throw;
        }
    }

    /// <summary>
    /// Takes the next frame of a confirmed read and its confirm: straight into <paramref name="destination"/> when the
    /// whole frame fits, else into a pooled frame buffer the next reads are served from. No byte is handed out before
    /// its confirm.
    /// </summary>
    private async ValueTask ReceiveConfirmedFrameAsync(DataConnection connection, Memory<byte> destination, CancellationToken cancellationToken)
    {
        int length = await connection.ReceiveOkAsync(cancellationToken);
        if (length == 0 || length > _end - _next) throw new IOException($"data endpoint {connection.Endpoint} sent a data frame of {length} bytes, {_end - _next} were due");
        if (destination.Length >= length)
        {
            await connection.ReceiveAsync(destination[..length], cancellationToken);
            await connection.ReceiveConfirmAsync(cancellationToken);
            _direct = length;
            return;
        }
        _frame ??= ArrayPool<byte>.Shared.Rent(BlockSidecar.ChunkBytes);
        await connection.ReceiveAsync(_frame.AsMemory(0, length), cancellationToken);
        await connection.ReceiveConfirmAsync(cancellationToken);
        _frameAt = 0;
        _buffered = length;
    }

    private int Advance(int count, bool clearDirect)
    {
        if (clearDirect) _direct = 0;
        _next += count;
        if (_next == _end) Finish(reusable: _frameLeft == 0 && _buffered == 0);
        return count;
    }

    private async Task StartAsync(EndpointAccess access, long blockId, long offset, long streamEnd, CancellationToken cancellationToken)
    {
        Finish(reusable: false);
        var connection = await pool.RentAsync(access.Endpoint, access.Tls, cancellationToken);
        int count = (int)Math.Min(int.MaxValue, streamEnd - offset);
        // Plain TCP reads are confirmed, so the worker may send a verified block with sendfile; TLS must copy anyway.
        bool confirmed = !access.Tls && pool.ServesConfirmedReads(access.Endpoint);
        var kind = confirmed ? DataRequestKind.ReadConfirmed : DataRequestKind.Read;
        try { await connection.SendAsync(new DataRequest(kind, blockId, offset, count, access.Token), default, cancellationToken); }
        catch
        {
            connection.Dispose();
            throw;
        }
        _connection = connection;
        _confirmed = confirmed;
        _blockId = blockId;
        _next = offset;
        _end = offset + count;
        _frameLeft = 0;
    }

    /// <summary>Ends the current stream; its connection goes back to the pool only when nothing of it is left unread.</summary>
    private void Finish(bool reusable)
    {
        _buffered = 0;
        _direct = 0;
        if (_connection is null) return;
        if (reusable) pool.Return(_connection);
        else _connection.Dispose();
        _connection = null;
        _blockId = -1;
    }

    public void Dispose()
    {
        Finish(reusable: false);
        if (_frame is not null) ArrayPool<byte>.Shared.Return(_frame);
        _frame = null;
    }
}
