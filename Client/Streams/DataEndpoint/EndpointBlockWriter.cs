using System.Buffers;
using OrleansFs.Blocks.DataTransfer;

namespace OrleansFs.Client.Streams.DataEndpoint;

/// <summary>
/// Streams one block's chunks to a worker's data endpoint on one pooled connection without waiting for each answer:
/// chunk frames go out back to back (<see cref="DataRequestKind.WriteBatched"/>), a batch of up to
/// <see cref="BatchChunks"/> of them is acknowledged together (a batch also ends when the stream's caller gets control
/// back, <see cref="EndBatchAsync"/>, so no chunk waits unacknowledged while a token runs out), and at most
/// <see cref="WindowChunks"/> chunks are unacknowledged at a time. A
/// chunk's pooled buffer is kept until its batch is acknowledged, so after a failure the caller can send the
/// unacknowledged chunks again (<see cref="TakeUnacknowledged"/>), through a new token or the block's grain.
/// Not <paramref name="batched"/> (a worker of an older release, which speaks only protocol version 2), each chunk goes as
/// an answered <see cref="DataRequestKind.Write"/> and is its own batch: the window is the same, answered frame by frame.
/// </summary>
internal sealed class EndpointBlockWriter(DataConnectionPool pool, EndpointAccess access, long blockId, bool batched = true) : IDisposable
{
    public const int BatchChunks = 4;
    public const int WindowChunks = 8;
    private readonly Queue<(long Offset, byte[] Buffer, int Length)> _unacknowledged = new();
    private readonly Queue<int> _batches = new();
    private DataConnection? _connection;
    private int _sinceAcknowledge;

    public EndpointAccess Access => access;
    public bool Batched => batched;

    /// <summary>Sends one chunk; the writer owns <paramref name="buffer"/> (a pooled one) from here on.</summary>
    public async Task WriteAsync(long offset, byte[] buffer, int length, CancellationToken cancellationToken)
    {
        _unacknowledged.Enqueue((offset, buffer, length));
        var connection = _connection ??= await RentAsync(cancellationToken);
        var kind = batched ? DataRequestKind.WriteBatched : DataRequestKind.Write;
        await connection.SendAsync(new DataRequest(kind, blockId, offset, length, access.Token), buffer.AsMemory(0, length), cancellationToken);
        if (!batched) _batches.Enqueue(1); // answered on its own
        else if (++_sinceAcknowledge == BatchChunks) await EndBatchAsync(cancellationToken);
        while (_unacknowledged.Count > WindowChunks && _batches.Count > 0) await ReceiveAcknowledgeAsync(cancellationToken);
    }

    /// <summary>
    /// A pooled connection; before its first batched write, an acknowledge of none asks the worker whether it speaks
    /// them, so a worker of an older release refuses a frame without payload and its answer is read, not lost to a reset.
    /// </summary>
    private async Task<DataConnection> RentAsync(CancellationToken cancellationToken)
    {
        var connection = await pool.RentAsync(access.Endpoint, access.Tls, cancellationToken);
        if (!batched || connection.TakesBatchedWrites) return connection;
        try
        {
            await connection.SendAsync(new DataRequest(DataRequestKind.Acknowledge, blockId, 0, 0, access.Token), default, cancellationToken);
            await connection.ReceiveOkAsync(cancellationToken);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        connection.TakesBatchedWrites = true;
        return connection;
    }

    /// <summary>Waits until every chunk sent is acknowledged; the connection then goes back to the pool.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await EndBatchAsync(cancellationToken);
        while (_batches.Count > 0) await ReceiveAcknowledgeAsync(cancellationToken);
        if (_connection is not null) pool.Return(_connection);
        _connection = null;
    }

    /// <summary>After a failure: the chunks not acknowledged, in order, now the caller's (buffers included); the connection is closed.</summary>
    public IReadOnlyList<(long Offset, byte[] Buffer, int Length)> TakeUnacknowledged()
    {
        _connection?.Dispose();
        _connection = null;
        var chunks = _unacknowledged.ToArray();
        _unacknowledged.Clear();
        _batches.Clear();
        _sinceAcknowledge = 0;
        return chunks;
    }

    /// <summary>Asks for the acknowledgement of the chunks sent since the last one, if any; does not wait for it.</summary>
    public async Task EndBatchAsync(CancellationToken cancellationToken)
    {
        if (_sinceAcknowledge == 0) return;
        await _connection!.SendAsync(new DataRequest(DataRequestKind.Acknowledge, blockId, 0, _sinceAcknowledge, access.Token), default, cancellationToken);
        _batches.Enqueue(_sinceAcknowledge);
        _sinceAcknowledge = 0;
    }

    private async Task ReceiveAcknowledgeAsync(CancellationToken cancellationToken)
    {
        await _connection!.ReceiveOkAsync(cancellationToken);
        for (int n = _batches.Dequeue(); n > 0; n--) ArrayPool<byte>.Shared.Return(_unacknowledged.Dequeue().Buffer);
    }

    /// <summary>Closes the connection and gives the buffers back (after success they are already back).</summary>
    public void Dispose()
    {
        foreach (var chunk in TakeUnacknowledged()) ArrayPool<byte>.Shared.Return(chunk.Buffer);
    }
}
