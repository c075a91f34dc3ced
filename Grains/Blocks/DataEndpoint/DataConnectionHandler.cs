using System.Buffers;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using OrleansFs.Blocks;
using OrleansFs.Blocks.DataTransfer;
using OrleansFs.Errors;

namespace OrleansFs.Grains.Blocks.DataEndpoint;

/// <summary>
/// One client connection to the data endpoint: request frames in, response frames out, one at a time. Block
/// bytes go between the socket and one pooled chunk buffer; reads are verified chunk by chunk against the
/// block's sidecar before they are sent. A malformed frame gets a <see cref="DataStatus.BadRequest"/> answer
/// and the connection is closed; a connection idle (or stalled mid-frame) past the timeout is closed.
/// </summary>
internal sealed partial class DataConnectionHandler(Socket socket, BlockStore store, DataEndpointTraffic traffic, TimeSpan idleTimeout, ILogger logger) : IDisposable
{
    private const int HeaderRoom = DataFrameCodec.ResponseBytes;
    private readonly byte[] _request = new byte[DataFrameCodec.RequestBytes];

    public async Task RunAsync(CancellationToken stopping)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(HeaderRoom + BlockSidecar.ChunkBytes);
        try
        {
            while (await ReceiveAsync(_request, timeout, allowEnd: true))
            {
                if (!DataFrameCodec.TryReadRequest(_request, out var request, out string error))
                {
                    await SendErrorAsync(buffer, DataStatus.BadRequest, error, timeout);
                    return;
                }
                if (request.Kind == DataRequestKind.Read) await ServeReadAsync(request, buffer, timeout);
                else await ServeWriteAsync(request, buffer, timeout);
            }
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            LogIdleClosed(logger, Remote, idleTimeout);
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            LogEnded(logger, e, Remote, e.Message);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private string Remote => socket.RemoteEndPoint?.ToString() ?? "?";

    private async Task ServeReadAsync(DataRequest request, byte[] buffer, CancellationTokenSource timeout)
    {
        var info = store.GetInfo(request.BlockId);
        if (info is null)
        {
            await SendErrorAsync(buffer, DataStatus.UnknownBlock, $"block {request.BlockId} is not stored on this worker", timeout);
            return;
        }
        long end = request.Offset + request.Count;
        if (end > info.Length)
        {
            await SendErrorAsync(buffer, DataStatus.OutOfRange,
                $"bytes {request.Offset}..{end} are outside block {request.BlockId} of {info.Length} bytes", timeout);
            return;
        }
        for (long position = request.Offset; position < end;)
        {
            // Pieces end at chunk boundaries, so each is verified against exactly the chunks it covers.
            int piece = (int)Math.Min(end - position, BlockSidecar.ChunkBytes - position % BlockSidecar.ChunkBytes);
            int? read;
            try { read = store.Read(request.BlockId, position, buffer.AsSpan(HeaderRoom, piece)); }
            catch (FsException e) when (e.Code == FsErrorCode.ChecksumMismatch)
            {
                await SendErrorAsync(buffer, DataStatus.ChecksumMismatch, e.Reason, timeout);
                return;
            }
            if (read != piece)
            {
                await SendErrorAsync(buffer, DataStatus.UnknownBlock, $"block {request.BlockId} left this worker during the read", timeout);
                return;
            }
            DataFrameCodec.WriteResponse(buffer, new DataResponse(DataStatus.Ok, piece));
            traffic.Sent(piece); // before the send completes, so a reader that has the bytes sees them counted
            await SendAsync(buffer.AsMemory(0, HeaderRoom + piece), timeout);
            position += piece;
        }
    }

    private async Task ServeWriteAsync(DataRequest request, byte[] buffer, CancellationTokenSource timeout)
    {
        // The payload is taken off the wire first, whatever the answer, so the next frame starts where it should.
        var payload = buffer.AsMemory(HeaderRoom, request.Count);
        await ReceiveAsync(payload, timeout, allowEnd: false);
        var writer = store.FindWriter(request.BlockId);
        if (writer is null)
        {
            await SendErrorAsync(buffer, DataStatus.WriteNotBegun, $"block {request.BlockId} has no write in progress on this worker (BeginWrite first)", timeout);
            return;
        }
        try
        {
            writer.Write(request.Offset, payload.Span);
        }
        catch (FsException e)
        {
            var status = e.Code == FsErrorCode.NoSpace ? DataStatus.NoSpace : DataStatus.WriteNotBegun;
            await SendErrorAsync(buffer, status, e.Reason, timeout);
            return;
        }
        catch (ObjectDisposedException)
        {
            await SendErrorAsync(buffer, DataStatus.WriteNotBegun, $"the write of block {request.BlockId} was aborted", timeout);
            return;
        }
        traffic.Received(request.Count);
        DataFrameCodec.WriteResponse(buffer, new DataResponse(DataStatus.Ok, 0));
        await SendAsync(buffer.AsMemory(0, HeaderRoom), timeout);
    }

    private async Task SendErrorAsync(byte[] buffer, DataStatus status, string message, CancellationTokenSource timeout)
    {
        int length = Encoding.UTF8.GetBytes(message.AsSpan(0, Math.Min(message.Length, DataFrameCodec.MaxMessageBytes / 4)), buffer.AsSpan(HeaderRoom));
        DataFrameCodec.WriteResponse(buffer, new DataResponse(status, length));
        await SendAsync(buffer.AsMemory(0, HeaderRoom + length), timeout);
    }

    /// <summary>Fills <paramref name="target"/>; false when the peer closed cleanly before its first byte.</summary>
    private async ValueTask<bool> ReceiveAsync(Memory<byte> target, CancellationTokenSource timeout, bool allowEnd)
    {
        timeout.CancelAfter(idleTimeout);
        int filled = 0;
        while (filled < target.Length)
        {
            int n = await socket.ReceiveAsync(target[filled..], SocketFlags.None, timeout.Token);
            if (n == 0)
            {
                if (filled == 0 && allowEnd) return false;
                throw new IOException($"peer closed the connection inside a frame ({filled} of {target.Length} bytes)");
            }
            filled += n;
        }
        timeout.TryReset();
        return true;
    }

    private async ValueTask SendAsync(ReadOnlyMemory<byte> bytes, CancellationTokenSource timeout)
    {
        timeout.CancelAfter(idleTimeout);
        while (!bytes.IsEmpty)
        {
            int n = await socket.SendAsync(bytes, SocketFlags.None, timeout.Token);
            bytes = bytes[n..];
        }
        timeout.TryReset();
    }

    public void Dispose() => socket.Dispose();

    [LoggerMessage(EventId = 1610, Level = LogLevel.Debug, Message = "Closing data connection from {Remote}: idle or stalled for {Timeout}")]
    private static partial void LogIdleClosed(ILogger logger, string remote, TimeSpan timeout);

    [LoggerMessage(EventId = 1611, Level = LogLevel.Debug, Message = "Data connection from {Remote} ended: {Reason}")]
    private static partial void LogEnded(ILogger logger, Exception exception, string remote, string reason);
}
