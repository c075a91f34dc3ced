using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using OrleansFs.Blocks.DataTransfer;

namespace OrleansFs.Client.Streams.DataEndpoint;

/// <summary>
/// One TCP connection to a worker's data endpoint, TLS when the endpoint asks for it. Frames go out and come
/// in whole; a connection whose frame exchange was interrupted is disposed, never returned to the pool.
/// </summary>
public sealed class DataConnection : IDisposable
{
    /// <summary>A worker that stops answering mid-frame is given up on after this long.</summary>
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly byte[] _header = new byte[Math.Max(DataFrameCodec.RequestBytes, DataFrameCodec.ResponseBytes)];

    private DataConnection(string endpoint, Socket socket, Stream stream, bool tls)
    {
        Endpoint = endpoint;
        _socket = socket;
        _stream = stream;
        Tls = tls;
    }

    public string Endpoint { get; }
    public bool Tls { get; }
    public long LastUsedTicks { get; set; } = Environment.TickCount64;
    /// <summary>True once the worker answered a batched write's acknowledge on this connection (protocol version 3).</summary>
    public bool TakesBatchedWrites { get; set; }

    /// <summary>
    /// An idle connection has nothing to read; if it polls readable, the worker closed it (idle timeout,
    /// restart) or it is out of step, and it must not be reused.
    /// </summary>
    public bool LooksIdleAndOpen()
    {
        try { return !_socket.Poll(0, SelectMode.SelectRead); }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { return false; }
    }

    /// <summary>Connects to <paramref name="endpoint"/>; with <paramref name="tls"/>, completes a TLS handshake that trusts what it says.</summary>
    public static async Task<DataConnection> ConnectAsync(string endpoint, DataClientTls? tls, CancellationToken cancellationToken)
    {
        var address = IPEndPoint.Parse(endpoint);
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ConnectTimeout);
            try { await socket.ConnectAsync(address, timeout.Token); }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"data endpoint {endpoint} did not accept a connection within {ConnectTimeout.TotalSeconds:0} s");
            }
            var network = new NetworkStream(socket, ownsSocket: false);
            if (tls is null) return new DataConnection(endpoint, socket, network, tls: false);
            return new DataConnection(endpoint, socket, await HandshakeAsync(endpoint, address, network, tls, cancellationToken), tls: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<SslStream> HandshakeAsync(string endpoint, IPEndPoint address, NetworkStream network, DataClientTls tls,
        CancellationToken cancellationToken)
    {
        var transport = new CoalescingStream(network);
        var ssl = new SslStream(transport, leaveInnerStreamOpen: false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            var options = tls.ClientOptions(address.Address.ToString());
            DataCipherSuites.Apply(options);
            await ssl.AuthenticateAsClientAsync(options, timeout.Token);
            transport.Coalesce = true;
            return ssl;
        }
        catch (Exception e)
        {
            await ssl.DisposeAsync();
            if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
                throw new TimeoutException($"data endpoint {endpoint} did not complete a TLS handshake within {ConnectTimeout.TotalSeconds:0} s");
            if (e is AuthenticationException)
                throw new DataEndpointTlsException($"TLS with data endpoint {endpoint} failed: {e.Message} " +
                                                   "(does this client trust the cluster's CA, and present a certificate if the cluster requires one?)", e);
            throw;
        }
    }

    public async ValueTask SendAsync(DataRequest request, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        DataFrameCodec.WriteRequest(_header, request);
        await SendAllAsync(_header.AsMemory(0, DataFrameCodec.RequestBytes), cancellationToken);
        if (!payload.IsEmpty) await SendAllAsync(payload, cancellationToken);
        await _stream.FlushAsync(cancellationToken); // one send per frame over TLS (CoalescingStream); nothing for plain TCP
    }

    /// <summary>The next response header; an error status is thrown as <see cref="DataEndpointException"/> with its message.</summary>
    public async ValueTask<int> ReceiveOkAsync(CancellationToken cancellationToken)
    {
        await ReceiveAsync(_header.AsMemory(0, DataFrameCodec.ResponseBytes), cancellationToken);
        if (!DataFrameCodec.TryReadResponse(_header, out var response, out string error))
            throw new IOException($"data endpoint {Endpoint} sent a malformed response: {error}");
        if (response.Status == DataStatus.Ok) return response.Length;
        var message = new byte[response.Length];
        await ReceiveAsync(message, cancellationToken);
        throw new DataEndpointException(response.Status, Encoding.UTF8.GetString(message));
    }

    /// <summary>
    /// The confirm frame after a data frame of a confirmed read: Ok with no payload. An error status is thrown as
    /// <see cref="DataEndpointException"/>, except Failed (the block file changed while the frame was sent), which is
    /// thrown as an <see cref="IOException"/> so the reader asks again as after a lost connection.
    /// </summary>
    public async ValueTask ReceiveConfirmAsync(CancellationToken cancellationToken)
    {
        int length;
        try { length = await ReceiveOkAsync(cancellationToken); }
        catch (DataEndpointException e) when (e.Status == DataStatus.Failed)
        {
            throw new IOException($"data endpoint {Endpoint}: {e.Message}", e);
        }
        if (length != 0) throw new IOException($"data endpoint {Endpoint} sent a data frame where a confirm was due");
    }

    /// <summary>Fills <paramref name="target"/> from the connection.</summary>
    public async ValueTask ReceiveAsync(Memory<byte> target, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ResponseTimeout);
        try
        {
            while (!target.IsEmpty)
            {
                int n = await _stream.ReadAsync(target, timeout.Token);
                if (n == 0) throw new IOException($"data endpoint {Endpoint} closed the connection mid-response");
                target = target[n..];
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"data endpoint {Endpoint} did not answer within {ResponseTimeout.TotalSeconds:0} s");
        }
    }

    private ValueTask SendAllAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) => _stream.WriteAsync(bytes, cancellationToken);

    public void Dispose()
    {
        _stream.Dispose();
        _socket.Dispose();
    }
}
