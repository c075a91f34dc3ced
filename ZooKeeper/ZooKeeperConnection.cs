using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using OrleansFs.ZooKeeper.Protocol;

namespace OrleansFs.ZooKeeper;

/// <summary>
/// One TCP connection (TLS when the options say so) to one server for one session. A writer loop takes requests from a queue, gives them xids and
/// writes them in batches; a reader loop matches each reply to the oldest outstanding request (the server answers in
/// order) and routes notifications to the watches; a third loop pings when idle and declares the connection lost
/// when the server has been silent for the read timeout.
/// </summary>
internal sealed partial class ZooKeeperConnection : IAsyncDisposable
{
    /// <summary>The server's jute.maxbuffer: a larger request would make it drop the connection.</summary>
    public const int MaxRequestBytes = 0xFFFFF;

    private const int MaxReplyBytes = 16 * 1024 * 1024;
    private const int FlushThreshold = 64 * 1024;

    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;
    private readonly ZooKeeperClient _client;
    private readonly ILogger _logger;
    private readonly Channel<PendingRequest> _outgoing = Channel.CreateUnbounded<PendingRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentQueue<PendingRequest> _awaitingReply = new();
    // Auth replies (xid -4) come in the order the credentials were sent, but not in order with other replies.
    private readonly ConcurrentQueue<PendingRequest> _awaitingAuth = new();
    private readonly ArrayBufferWriter<byte> _scratch = new(256);
    private readonly CancellationTokenSource _stop = new();
    private Exception? _abortReason;
    private long _lastSend;
    private long _lastReceive;
    private int _nextXid;

    private ZooKeeperConnection(Socket socket, Stream stream, ZooKeeperEndpoint server, ZooKeeperClient client, ILogger logger)
    {
        _socket = socket;
        _stream = stream;
        _reader = PipeReader.Create(_stream);
        _writer = PipeWriter.Create(_stream);
        Server = server;
        _client = client;
        _logger = logger;
    }

    public ZooKeeperEndpoint Server { get; }

    /// <summary>
    /// Opens a socket, runs the TLS handshake when <paramref name="tls"/> is given, then the session handshake: a new
    /// session, or a resume when sessionId is set.
    /// </summary>
    public static async Task<(ZooKeeperConnection Connection, ConnectResponse Response)> OpenAsync(
        ZooKeeperEndpoint server, ConnectRequest request, ZooKeeperClient client, ILogger logger, TimeSpan timeout,
        Func<ZooKeeperEndpoint, SslClientAuthenticationOptions>? tls, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        ZooKeeperConnection? connection = null;
        try
        {
            await socket.ConnectAsync(server.Host, server.Port, deadline.Token);
            var stream = new NetworkStream(socket, ownsSocket: true);
            connection = new ZooKeeperConnection(socket, tls is null ? stream : await SecureAsync(stream, server, tls, deadline.Token), server, client, logger);
            var response = await connection.HandshakeAsync(request, deadline.Token);
            return (connection, response);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            await DisposeQuietly(connection, socket);
            throw new ZooKeeperException(ZooKeeperErrorCode.ConnectionLoss, null, $"no session handshake with {server} within {timeout.TotalMilliseconds:0} ms");
        }
        catch
        {
            await DisposeQuietly(connection, socket);
            throw;
        }
    }

    /// <summary>
    /// The TLS client handshake over the connected socket. The pipes then read and write the TLS stream, so the
    /// framing above is the same as in plain text; SslStream keeps its record buffers for the connection's life.
    /// </summary>
    private static async Task<Stream> SecureAsync(NetworkStream stream, ZooKeeperEndpoint server,
        Func<ZooKeeperEndpoint, SslClientAuthenticationOptions> tls, CancellationToken ct)
    {
        var secure = new SslStream(stream, leaveInnerStreamOpen: false);
        try
        {
            await secure.AuthenticateAsClientAsync(tls(server), ct);
            return secure;
        }
        catch (AuthenticationException e)
        {
            await secure.DisposeAsync();
            throw new ZooKeeperTlsException(server, Describe(e), e);
        }
        catch (IOException e)
        {
            // The server hung up mid-handshake: it refused this client's certificate (or its absence), or it does not speak TLS.
            await secure.DisposeAsync();
            throw new ZooKeeperTlsException(server,
                $"the server closed the connection ({Describe(e)}); it may require a client certificate signed by its CA, or the port is not its secure client port", e);
        }
        catch
        {
            await secure.DisposeAsync();
            throw;
        }
    }

    /// <summary>The messages down the exception's chain that say something ("Authentication failed, see inner exception" does not).</summary>
    private static string Describe(Exception e)
    {
        var parts = new List<string>();
        for (var current = e; current is not null; current = current.InnerException)
            if (!current.Message.Contains("see inner exception", StringComparison.OrdinalIgnoreCase)) parts.Add(current.Message.TrimEnd('.'));
        return parts.Count == 0 ? e.Message : string.Join(": ", parts);
    }

    /// <summary>Queues a request; false when the connection is already shutting down.</summary>
    public bool TryEnqueue(PendingRequest request) => _outgoing.Writer.TryWrite(request);

    /// <summary>Runs until the connection fails or is aborted, then fails every unanswered request with CONNECTIONLOSS.</summary>
    public async Task<Exception> RunAsync(TimeSpan sessionTimeout)
    {
        _lastSend = _lastReceive = Environment.TickCount64;
        var ct = _stop.Token;
        Task[] loops = [WriteLoopAsync(ct), ReadLoopAsync(ct), PingLoopAsync(sessionTimeout, ct)];
        var first = await Task.WhenAny(loops);
        var reason = _abortReason ?? first.Exception?.GetBaseException()
            ?? new ZooKeeperException(ZooKeeperErrorCode.ConnectionLoss, null, "the connection closed");
        Shutdown();
        try
        {
            await Task.WhenAll(loops);
        }
        catch
        {
            // The first failure is the reason; the others are its echoes.
        }
        FailOutstanding(reason);
        return reason;
    }

    /// <summary>Drops the connection on purpose (closing, or a faulty server).</summary>
    public void Abort(Exception reason)
    {
        Interlocked.CompareExchange(ref _abortReason, reason, null);
        Shutdown();
    }

    public async ValueTask DisposeAsync()
    {
        Shutdown();
        // Completing the writer without an error flushes what is still buffered into the stream, which the reader's
        // completion may already have disposed (the write loop can be cut off between a write and its flush). The
        // socket is gone, so nothing buffered can be sent: complete it as abandoned, which skips that flush.
        await _writer.CompleteAsync(new ZooKeeperException(ZooKeeperErrorCode.ConnectionLoss, null, "connection closed"));
        await _reader.CompleteAsync();
        await _stream.DisposeAsync();
        _stop.Dispose();
    }

    private void Shutdown()
    {
        _outgoing.Writer.TryComplete();
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
        _socket.Dispose();
    }

    private async Task<ConnectResponse> HandshakeAsync(ConnectRequest request, CancellationToken ct)
    {
        _scratch.ResetWrittenCount();
        request.WriteTo(new JuteWriter(_scratch));
        WriteFrame(_scratch.WrittenSpan);
        await _writer.FlushAsync(ct);
        while (true)
        {
            var result = await _reader.ReadAsync(ct);
            var buffer = result.Buffer;
            if (TryTakeFrame(ref buffer, out var frame))
            {
                var response = ConnectResponse.Read(frame);
                _reader.AdvanceTo(buffer.Start);
                return response;
            }
            _reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
                throw new ZooKeeperException(ZooKeeperErrorCode.ConnectionLoss, null, $"{Server} closed the connection during the handshake (not serving, behind this client, or a TLS port dialled without TLS)");
        }
    }

    private async Task WriteLoopAsync(CancellationToken ct)
    {
        var queue = _outgoing.Reader;
        while (await queue.WaitToReadAsync(ct))
        {
            while (queue.TryRead(out var request))
            {
                // Cancelled before it was sent: leave it out rather than make the server do the work.
                if (request.IsCompleted && request != PendingRequest.Ping) continue;
                Write(request);
                if (_writer.CanGetUnflushedBytes && _writer.UnflushedBytes >= FlushThreshold) await _writer.FlushAsync(ct);
            }
            await _writer.FlushAsync(ct);
            _lastSend = Environment.TickCount64;
        }
    }

    private void Write(PendingRequest request)
    {
        if (request.Op == OpCode.SetWatches) request.Xid = Xid.SetWatches;
        else if (request.Op == OpCode.Auth) request.Xid = Xid.Auth;
        else if (request.ExpectsOrderedReply) request.Xid = NextXid();
        _scratch.ResetWrittenCount();
        request.WriteTo(new JuteWriter(_scratch), _client.Chroot);
        if (_scratch.WrittenCount > MaxRequestBytes)
        {
            request.Fail(new ZooKeeperException(ZooKeeperErrorCode.BadArguments, request.ClientPath,
                $"the request is {_scratch.WrittenCount} bytes; the server accepts at most {MaxRequestBytes}"));
            return;
        }
        if (request.ExpectsOrderedReply) _awaitingReply.Enqueue(request);
        else if (request.Op == OpCode.Auth) _awaitingAuth.Enqueue(request);
        WriteFrame(_scratch.WrittenSpan);
    }

    private void WriteFrame(ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteInt32BigEndian(_writer.GetSpan(4), payload.Length);
        _writer.Advance(4);
        _writer.Write(payload);
    }

    private int NextXid()
    {
        // Positive and wrapping like the Java client: negative xids are reserved.
        _nextXid = _nextXid == int.MaxValue - 1 ? 1 : _nextXid + 1;
        return _nextXid;
    }

    private async Task ReadLoopAsync(CancellationToken ct)
    {
        while (true)
        {
            var result = await _reader.ReadAsync(ct);
            var buffer = result.Buffer;
            _lastReceive = Environment.TickCount64;
            while (TryTakeFrame(ref buffer, out var frame)) Process(frame);
            _reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted) throw new ZooKeeperException(ZooKeeperErrorCode.ConnectionLoss, null, $"{Server} closed the connection");
        }
    }

    private static bool TryTakeFrame(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame)
    {
        frame = default;
        if (buffer.Length < 4) return false;
        Span<byte> prefix = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(prefix);
        int length = BinaryPrimitives.ReadInt32BigEndian(prefix);
        if (length is < 0 or > MaxReplyBytes)
            throw new ZooKeeperException(ZooKeeperErrorCode.MarshallingError, null, $"the server sent a frame of {length} bytes");
        if (buffer.Length - 4 < length) return false;
        frame = buffer.Slice(4, length);
        buffer = buffer.Slice(4 + length);
        return true;
    }

    private void Process(ReadOnlySequence<byte> frame)
    {
        if (frame.IsSingleSegment)
        {
            Process(frame.FirstSpan);
            return;
        }
        int length = (int)frame.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            frame.CopyTo(rented);
            Process(rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private void Process(ReadOnlySpan<byte> frame)
    {
        var reader = new JuteReader(frame);
        int xid = reader.ReadInt();
        long zxid = reader.ReadLong();
        var error = (ZooKeeperErrorCode)reader.ReadInt();
        if (zxid > 0) _client.ObserveZxid(zxid);
        switch (xid)
        {
            case Xid.Notification:
                Notify(ref reader);
                return;
            case Xid.Ping:
                return;
            case Xid.SetWatches:
                if (error != ZooKeeperErrorCode.Ok) LogSetWatchesFailed(_logger, Server, xid, error);
                return;
            case Xid.Auth:
                CompleteAuth(error);
                return;
        }
        if (!_awaitingReply.TryDequeue(out var request) || request.Xid != xid)
            throw new ZooKeeperException(ZooKeeperErrorCode.MarshallingError, null,
                $"reply xid {xid} does not match the oldest outstanding request (xid {request?.Xid.ToString() ?? "none"})");
        try
        {
            request.ReadReply(error, ref reader, _client.Chroot);
        }
        catch (ZooKeeperException ex)
        {
            request.Fail(ex);
            throw;
        }
        _client.Watches.Register(request);
        _client.Dispatcher.Complete(request);
    }

    /// <summary>
    /// Anything but OK is a refusal: the server closes the connection after it, so this one ends here with the
    /// refusal as its reason (the client then stops rather than present the same credentials again).
    /// </summary>
    private void CompleteAuth(ZooKeeperErrorCode error)
    {
        if (!_awaitingAuth.TryDequeue(out var request))
            throw new ZooKeeperException(ZooKeeperErrorCode.MarshallingError, null, "an auth reply came with no credentials outstanding");
        if (error == ZooKeeperErrorCode.Ok)
        {
            request.Finish();
            return;
        }
        var refused = new ZooKeeperAuthFailedException(request.Auth!.Scheme, $"{Server} refused the '{request.Auth.Scheme}' credentials ({error})");
        request.Fail(refused);
        throw refused;
    }

    private void Notify(ref JuteReader reader)
    {
        int type = reader.ReadInt();
        reader.ReadInt(); // keeper state: always SyncConnected from the server
        var path = _client.Chroot.ToClient(reader.ReadString() ?? "/");
        if (!Enum.IsDefined((WatchEventType)type)) return;
        var change = new WatchedEvent((WatchEventType)type, path);
        var watchers = _client.Watches.Take(change);
        LogWatchEvent(_logger, change.Type, path, watchers.Length);
        if (watchers.Length > 0) _client.Dispatcher.PostEvent(change, watchers);
    }

    private async Task PingLoopAsync(TimeSpan sessionTimeout, CancellationToken ct)
    {
        // The Java client's conventions: read timeout 2/3 of the session, ping after half of that idle (max 10 s).
        long readTimeout = (long)(sessionTimeout.TotalMilliseconds * 2 / 3);
        long pingAfter = Math.Min(readTimeout / 2, 10_000);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Max(10, pingAfter / 4)));
        while (await timer.WaitForNextTickAsync(ct))
        {
            long now = Environment.TickCount64;
            if (now - _lastReceive > readTimeout)
                throw new ZooKeeperException(ZooKeeperErrorCode.ConnectionLoss, null, $"nothing heard from {Server} for {now - _lastReceive} ms");
            if (now - _lastSend >= pingAfter) _outgoing.Writer.TryWrite(PendingRequest.Ping);
        }
    }

    private void FailOutstanding(Exception reason)
    {
        // After refused credentials, as in the Java client, requests fail with AUTHFAILED rather than CONNECTIONLOSS.
        var code = reason is ZooKeeperAuthFailedException ? ZooKeeperErrorCode.AuthFailed : ZooKeeperErrorCode.ConnectionLoss;
        var detail = $"connection to {Server} lost ({reason.Message}); the request may or may not have been applied";
        while (_awaitingAuth.TryDequeue(out var request)) request.Fail(new ZooKeeperException(code, null, detail, reason));
        while (_awaitingReply.TryDequeue(out var request)) request.Fail(new ZooKeeperException(code, request.ClientPath, detail, reason));
        while (_outgoing.Reader.TryRead(out var request))
        {
            if (request == PendingRequest.Ping) continue;
            request.Fail(new ZooKeeperException(code, request.ClientPath, $"connection to {Server} lost before the request was sent", reason));
        }
    }

    private static async Task DisposeQuietly(ZooKeeperConnection? connection, Socket socket)
    {
        if (connection is not null) await connection.DisposeAsync();
        else socket.Dispose();
    }

    [LoggerMessage(EventId = 2010, Level = LogLevel.Warning, Message = "ZooKeeper {Server} answered xid {Xid} with {Error}")]
    private static partial void LogSetWatchesFailed(ILogger logger, ZooKeeperEndpoint server, int xid, ZooKeeperErrorCode error);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Debug, Message = "ZooKeeper event {Type} on {Path} for {Count} watches")]
    private static partial void LogWatchEvent(ILogger logger, WatchEventType type, string path, int count);
}
