using OrleansFs.Blocks.DataTransfer;

namespace OrleansFs.Client.Streams.DataEndpoint;

/// <summary>
/// A reader's open streaming read on a data endpoint: one request for the rest of a block (or for one
/// positional range), whose verified frames land directly in the caller's buffers. The worker runs ahead of
/// the reader as far as the socket buffers let it, which is the read-ahead. A read elsewhere drops the stream.
/// </summary>
internal sealed class EndpointBlockReader(DataConnectionPool pool) : IDisposable
{
    private DataConnection? _connection;
    private long _blockId = -1;
    private long _next;
    private long _end;
    private int _frameLeft;

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
            if (_frameLeft == 0)
            {
                _frameLeft = await connection.ReceiveOkAsync(cancellationToken);
                if (_frameLeft == 0) throw new IOException($"data endpoint {endpoint} sent an empty data frame");
            }
            int take = (int)Math.Min(Math.Min(destination.Length, _frameLeft), _end - _next);
            await connection.ReceiveAsync(destination[..take], cancellationToken);
            _frameLeft -= take;
            _next += take;
            if (_next == _end) Finish(reusable: _frameLeft == 0);
            return take;
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

    private async Task StartAsync(EndpointAccess access, long blockId, long offset, long streamEnd, CancellationToken cancellationToken)
    {
        Finish(reusable: false);
        var connection = await pool.RentAsync(access.Endpoint, access.Tls, cancellationToken);
        int count = (int)Math.Min(int.MaxValue, streamEnd - offset);
        try { await connection.SendAsync(new DataRequest(DataRequestKind.Read, blockId, offset, count, access.Token), default, cancellationToken); }
        catch
        {
            connection.Dispose();
            throw;
        }
        _connection = connection;
        _blockId = blockId;
        _next = offset;
        _end = offset + count;
        _frameLeft = 0;
    }

    /// <summary>Ends the current stream; its connection goes back to the pool only when nothing of it is left unread.</summary>
    private void Finish(bool reusable)
    {
        if (_connection is null) return;
        if (reusable) pool.Return(_connection);
        else _connection.Dispose();
        _connection = null;
        _blockId = -1;
    }

    public void Dispose() => Finish(reusable: false);
}
