using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.ComponentModel;
using System.IO.Hashing;
using System.Text;
using Microsoft.Extensions.Logging;
using OrleansFs.Blocks;
using OrleansFs.Blocks.DataTransfer;
using OrleansFs.Errors;

namespace OrleansFs.Grains.Blocks.DataEndpoint;

/// <summary>
/// One client connection to the data endpoint: request frames in, response frames out, one at a time. With
/// <paramref name="tls"/> the connection is TLS (server certificate, and the client's when required) before any
/// frame is read, so a plain-text peer never gets a byte. Every request must carry a valid access token for its
/// block and kind, else it is answered <see cref="DataStatus.Forbidden"/> and nothing is read or written. Block
/// bytes go between the connection and one pooled chunk buffer; reads are verified chunk by chunk against the
/// block's sidecar before they are sent,
/// unless this worker verified the block and its file has not changed since (<see cref="BlockReader"/>). A malformed frame gets a <see cref="DataStatus.BadRequest"/> answer
/// and the connection is closed; a connection idle (or stalled mid-frame) past the timeout is closed.
/// </summary>
internal sealed partial class DataConnectionHandler(
    Socket socket,
    Func<SslServerAuthenticationOptions>? tls,
    BlockStore store,
    BlockAccessTokens tokens,
    DataEndpointTraffic traffic,
    TimeSpan idleTimeout,
    ILogger logger) : IDisposable
{
    private const int HeaderRoom = DataFrameCodec.ResponseBytes;
    private readonly byte[] _request = new byte[DataFrameCodec.RequestBytes];
    private readonly XxHash3 _hash = new();
    private Stream? _stream;
    private FileRangeSender? _sender;
    // The batch of unanswered writes since the last acknowledge: how many, and the first failure among them.
    private int _batchWrites;
    private (DataStatus Status, string Message)? _batchFailure;

    /// <summary>The newest protocol version this connection reads (a test behaves as an older worker with 2).</summary>
    internal byte Speaks { get; init; } = DataFrameCodec.Version;

    public async Task RunAsync(CancellationToken stopping)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(HeaderRoom + BlockSidecar.ChunkBytes + DataFrameCodec.ResponseBytes);
        try
        {
            _stream = await OpenAsync(timeout);
            if (_stream is null) return;
            while (await ReceiveAsync(_request, timeout, allowEnd: true))
            {
                if (!DataFrameCodec.TryReadRequest(_request, Speaks, out var request, out string error))
                {
                    await SendErrorAsync(buffer, DataStatus.BadRequest, error, timeout);
                    return;
                }
                if (!tokens.Check(request, out string refusal)) await RefuseAsync(request, refusal, buffer, timeout);
                else if (request.Kind is DataRequestKind.Read or DataRequestKind.ReadConfirmed) await ServeReadAsync(request, buffer, timeout);
                else if (request.Kind == DataRequestKind.WriteBatched) await ServeBatchedWriteAsync(request, buffer, timeout);
                else if (request.Kind == DataRequestKind.Acknowledge) await AcknowledgeAsync(request, buffer, timeout);
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

    /// <summary>The connection's stream; null when the TLS handshake failed (plain text, untrusted or no client certificate).</summary>
    private async Task<Stream?> OpenAsync(CancellationTokenSource timeout)
    {
        var network = new NetworkStream(socket, ownsSocket: false);
        if (tls is null) return network;
        var transport = new CoalescingStream(network);
        var ssl = new SslStream(transport, leaveInnerStreamOpen: false);
        timeout.CancelAfter(idleTimeout);
        try
        {
            var options = tls();
            DataCipherSuites.Apply(options);
            await ssl.AuthenticateAsServerAsync(options, timeout.Token);
            timeout.TryReset();
            transport.Coalesce = true;
            return ssl;
        }
        catch (Exception e) when (e is AuthenticationException or IOException or Win32Exception)
        {
            LogHandshakeFailed(logger, e, Remote, e.Message);
            await ssl.DisposeAsync();
            return null;
        }
        catch
        {
            await ssl.DisposeAsync(); // timed out or stopping: its buffers go back to the pool
            throw;
        }
    }

    /// <summary>
    /// Refuses a request without a valid token; a write's payload is still taken off the wire, unread, so the next frame
    /// lines up. A batched write is refused at its batch's acknowledge, where its writer listens.
    /// </summary>
    private async Task RefuseAsync(DataRequest request, string refusal, byte[] buffer, CancellationTokenSource timeout)
    {
        if (request.Kind is DataRequestKind.Write or DataRequestKind.WriteBatched)
            await ReceiveAsync(buffer.AsMemory(HeaderRoom, request.Count), timeout, allowEnd: false);
        LogRefused(logger, request.Kind, request.BlockId, Remote, refusal);
        if (request.Kind == DataRequestKind.WriteBatched)
        {
            _batchWrites++;
            _batchFailure ??= (DataStatus.Forbidden, refusal);
            return;
        }
        if (request.Kind == DataRequestKind.Acknowledge) ResetBatch();
        await SendErrorAsync(buffer, DataStatus.Forbidden, refusal, timeout);
    }

    private async Task ServeReadAsync(DataRequest request, byte[] buffer, CancellationTokenSource timeout)
    {
        using var reader = store.OpenRead(request.BlockId);
        if (reader is null)
        {
            await SendErrorAsync(buffer, DataStatus.UnknownBlock, $"block {request.BlockId} is not stored on this worker", timeout);
            return;
        }
        long end = request.Offset + request.Count;
        if (end > reader.Length)
        {
            await SendErrorAsync(buffer, DataStatus.OutOfRange,
                $"bytes {request.Offset}..{end} are outside block {request.BlockId} of {reader.Length} bytes", timeout);
            return;
        }
        bool confirmed = request.Kind == DataRequestKind.ReadConfirmed;
        if (confirmed && tls is null && SendFile && reader.StillTrusted())
        {
            await SendFileAsync(request, reader, buffer, timeout);
            return;
        }
        for (long position = request.Offset; position < end;)
        {
            // Pieces end at chunk boundaries, so each is verified (when it must be) against exactly the chunks it covers.
            int piece = Piece(position, end);
            try { reader.Read(position, buffer.AsSpan(HeaderRoom, piece)); }
            catch (FsException e) when (e.Code == FsErrorCode.ChecksumMismatch)
            {
                await SendErrorAsync(buffer, DataStatus.ChecksumMismatch, e.Reason, timeout);
                return;
            }
            DataFrameCodec.WriteResponse(buffer, new DataResponse(DataStatus.Ok, piece));
            int length = HeaderRoom + piece;
            if (confirmed)
            {
                // Checked before it was sent: confirmed at once.
                DataFrameCodec.WriteResponse(buffer.AsSpan(length), new DataResponse(DataStatus.Ok, 0));
                length += DataFrameCodec.ResponseBytes;
            }
            traffic.Sent(piece); // before the send completes, so a reader that has the bytes sees them counted
            await SendAsync(buffer.AsMemory(0, length), timeout);
            position += piece;
        }
    }

    private static int Piece(long position, long end) =>
        (int)Math.Min(end - position, BlockSidecar.ChunkBytes - position % BlockSidecar.ChunkBytes);

    /// <summary>
    /// A confirmed read of a trusted block on plain TCP: each frame's bytes go from the block file to the socket with
    /// sendfile, unread and unhashed here, and its confirm goes ahead of the next frame's header once the file's stamp
    /// says it was not changed since it was verified. The stamp taken after frame n covers frame n+1's start too (a
    /// change time only moves forward). A file that changed gets an error in place of the confirm, so the reader drops
    /// the frame: ChecksumMismatch when the piece now fails its checksum (the block is dropped), else Failed (ask again).
    /// </summary>
    private async Task SendFileAsync(DataRequest request, BlockReader reader, byte[] buffer, CancellationTokenSource timeout)
    {
        _sender ??= new FileRangeSender(socket);
        using var file = new FileStream(reader.File, FileAccess.Read, bufferSize: 0, isAsync: true);
        long end = request.Offset + request.Count;
        int confirm = 0; // a confirm waiting at the start of the buffer, sent with the next frame's header
        for (long position = request.Offset; position < end;)
        {
            int piece = Piece(position, end);
            DataFrameCodec.WriteResponse(buffer.AsSpan(confirm), new DataResponse(DataStatus.Ok, piece));
            traffic.SentFromFile(piece);
            timeout.CancelAfter(idleTimeout);
            await _sender.SendAsync(buffer.AsMemory(0, confirm + HeaderRoom), file, position, piece, timeout.Token);
            timeout.TryReset();
            if (!reader.StillTrusted())
            {
                var (status, message) = Recheck(reader, position, piece, buffer);
                LogChangedWhileSent(logger, request.BlockId, position, Remote, status);
                await SendErrorAsync(buffer, status, message, timeout);
                return;
            }
            DataFrameCodec.WriteResponse(buffer, new DataResponse(DataStatus.Ok, 0));
            confirm = DataFrameCodec.ResponseBytes;
            position += piece;
        }
        await SendAsync(buffer.AsMemory(0, confirm), timeout);
    }

    /// <summary>What to tell a reader whose frame at <paramref name="position"/> went out while the block file changed.</summary>
    private static (DataStatus Status, string Message) Recheck(BlockReader reader, long position, int piece, byte[] buffer)
    {
        try
        {
            reader.Read(position, buffer.AsSpan(HeaderRoom, piece)); // verified now: the reader no longer trusts the file
            return (DataStatus.Failed, $"block {reader.BlockId} changed on its worker while bytes {position}..{position + piece} were sent; read them again");
        }
        catch (FsException e) when (e.Code == FsErrorCode.ChecksumMismatch)
        {
            return (DataStatus.ChecksumMismatch, e.Reason);
        }
    }

    private async Task ServeWriteAsync(DataRequest request, byte[] buffer, CancellationTokenSource timeout)
    {
        // The payload is taken off the wire first, whatever the answer, so the next frame starts where it should.
        var payload = buffer.AsMemory(HeaderRoom, request.Count);
        ulong hash = await ReceiveHashedAsync(payload, timeout);
        if (Store(request, payload.Span, hash) is { } failure)
        {
            await SendErrorAsync(buffer, failure.Status, failure.Message, timeout);
            return;
        }
        DataFrameCodec.WriteResponse(buffer, new DataResponse(DataStatus.Ok, 0));
        await SendAsync(buffer.AsMemory(0, HeaderRoom), timeout);
    }

    /// <summary>A chunk of a batch: stored unless an earlier chunk of the batch failed; answered at the acknowledge.</summary>
    private async Task ServeBatchedWriteAsync(DataRequest request, byte[] buffer, CancellationTokenSource timeout)
    {
        var payload = buffer.AsMemory(HeaderRoom, request.Count);
        ulong hash = await ReceiveHashedAsync(payload, timeout);
        _batchWrites++;
        if (_batchFailure is not null) return;
        _batchFailure = Store(request, payload.Span, hash);
        if (_batchFailure is { } failure) LogBatchFailed(logger, request.BlockId, request.Offset, Remote, failure.Status, failure.Message);
    }

    private async Task AcknowledgeAsync(DataRequest request, byte[] buffer, CancellationTokenSource timeout)
    {
        var failure = _batchFailure;
        if (failure is null && request.Count != _batchWrites)
            failure = (DataStatus.Failed, $"block {request.BlockId}: {_batchWrites} chunk frames arrived since the last acknowledge, the writer sent {request.Count}");
        ResetBatch();
        if (failure is { } f)
        {
            await SendErrorAsync(buffer, f.Status, f.Message, timeout);
            return;
        }
        DataFrameCodec.WriteResponse(buffer, new DataResponse(DataStatus.Ok, 0));
        await SendAsync(buffer.AsMemory(0, HeaderRoom), timeout);
    }

    private void ResetBatch()
    {
        _batchWrites = 0;
        _batchFailure = null;
    }

    /// <summary>Writes one received chunk into its block's write; the failure to answer with, or null when stored.</summary>
    private (DataStatus Status, string Message)? Store(DataRequest request, ReadOnlySpan<byte> payload, ulong hash)
    {
        var writer = store.FindWriter(request.BlockId);
        if (writer is null)
            return (DataStatus.WriteNotBegun, $"block {request.BlockId} has no write in progress on this worker (BeginWrite first)");
        try
        {
            writer.Write(request.Offset, payload, hash);
        }
        catch (FsException e)
        {
            return (e.Code == FsErrorCode.NoSpace ? DataStatus.NoSpace : DataStatus.WriteNotBegun, e.Reason);
        }
        catch (ObjectDisposedException)
        {
            return (DataStatus.WriteNotBegun, $"the write of block {request.BlockId} was aborted");
        }
        traffic.Received(request.Count);
        return null;
    }

    /// <summary>Fills <paramref name="target"/> and hashes each piece as it lands, while it is still in the cache.</summary>
    private async ValueTask<ulong> ReceiveHashedAsync(Memory<byte> target, CancellationTokenSource timeout)
    {
        timeout.CancelAfter(idleTimeout);
        _hash.Reset();
        int filled = 0;
        while (filled < target.Length)
        {
            int n = await _stream!.ReadAsync(target[filled..], timeout.Token);
            if (n == 0) throw new IOException($"peer closed the connection inside a frame ({filled} of {target.Length} bytes)");
            _hash.Append(target.Span.Slice(filled, n));
            filled += n;
        }
        timeout.TryReset();
        return _hash.GetCurrentHashAsUInt64();
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
            int n = await _stream!.ReadAsync(target[filled..], timeout.Token);
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
        await _stream!.WriteAsync(bytes, timeout.Token);
        await _stream.FlushAsync(timeout.Token); // one send per frame over TLS (CoalescingStream); nothing for plain TCP
        timeout.TryReset();
    }

    /// <summary>Trusted blocks go to confirmed plain-TCP reads with sendfile (<see cref="WorkerOptions.DataSendFile"/>).</summary>
    public bool SendFile { get; init; }

    public void Dispose()
    {
        _sender?.Dispose();
        _stream?.Dispose();
        socket.Dispose();
    }

    [LoggerMessage(EventId = 1610, Level = LogLevel.Debug, Message = "Closing data connection from {Remote}: idle or stalled for {Timeout}")]
    private static partial void LogIdleClosed(ILogger logger, string remote, TimeSpan timeout);

    [LoggerMessage(EventId = 1611, Level = LogLevel.Debug, Message = "Data connection from {Remote} ended: {Reason}")]
    private static partial void LogEnded(ILogger logger, Exception exception, string remote, string reason);

    [LoggerMessage(EventId = 1620, Level = LogLevel.Debug,
        Message = "Batched write of block {BlockId} at {Offset} from {Remote} failed ({Status}): {Reason}; the rest of its batch is not applied and the writer is told at the acknowledge")]
    private static partial void LogBatchFailed(ILogger logger, long blockId, long offset, string remote, DataStatus status, string reason);

    [LoggerMessage(EventId = 1640, Level = LogLevel.Warning, Message = "Block {BlockId} changed on disk while bytes from {Position} were sent to {Remote} with sendfile; the reader was told {Status} instead of a confirm")]
    private static partial void LogChangedWhileSent(ILogger logger, long blockId, long position, string remote, DataStatus status);

    [LoggerMessage(EventId = 2360, Level = LogLevel.Warning, Message = "Data connection from {Remote} refused: the TLS handshake failed: {Reason}")]
    private static partial void LogHandshakeFailed(ILogger logger, Exception exception, string remote, string reason);

    [LoggerMessage(EventId = 2361, Level = LogLevel.Information, Message = "Refused a {Kind} of block {BlockId} from {Remote}: {Reason}")]
    private static partial void LogRefused(ILogger logger, DataRequestKind kind, long blockId, string remote, string reason);
}
