using System.Net;
using System.Net.Sockets;
using System.Text;
using OrleansFs.Blocks.DataTransfer;

namespace OrleansFs.Client.Streams.DataEndpoint;

/// <summary>
/// One TCP connection to a worker's data endpoint. Frames go out and come in whole; a connection whose
/// frame exchange was interrupted is disposed, never returned to the pool.
/// </summary>
public sealed class DataConnection : IDisposable
{
    /// <summary>A worker that stops answering mid-frame is given up on after this long.</summary>
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
    private readonly Socket _socket;
    private readonly byte[] _header = new byte[Math.Max(DataFrameCodec.RequestBytes, DataFrameCodec.ResponseBytes)];

    private DataConnection(string endpoint, Socket socket)
    {
        Endpoint = endpoint;
        _socket = socket;
    }

    public string Endpoint { get; }
    public long LastUsedTicks { get; set; } = Environment.TickCount64;

    /// <summary>
    /// An idle connection has nothing to read; if it polls readable, the worker closed it (idle timeout,
    /// restart) or it is out of step, and it must not be reused.
    /// </summary>
    public bool LooksIdleAndOpen()
    {
        try { return !_socket.Poll(0, SelectMode.SelectRead); }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { return false; }
    }

    public static async Task<DataConnection> ConnectAsync(string endpoint, CancellationToken cancellationToken)
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
            return new DataConnection(endpoint, socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async ValueTask SendAsync(DataRequest request, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        DataFrameCodec.WriteRequest(_header, request);
        await SendAllAsync(_header.AsMemory(0, DataFrameCodec.RequestBytes), cancellationToken);
        if (!payload.IsEmpty) await SendAllAsync(payload, cancellationToken);
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

    /// <summary>Fills <paramref name="target"/> from the connection.</summary>
    public async ValueTask ReceiveAsync(Memory<byte> target, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ResponseTimeout);
        try
        {
            while (!target.IsEmpty)
            {
                int n = await _socket.ReceiveAsync(target, SocketFlags.None, timeout.Token);
                if (n == 0) throw new IOException($"data endpoint {Endpoint} closed the connection mid-response");
                target = target[n..];
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"data endpoint {Endpoint} did not answer within {ResponseTimeout.TotalSeconds:0} s");
        }
    }

    private async ValueTask SendAllAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        while (!bytes.IsEmpty)
        {
            int n = await _socket.SendAsync(bytes, SocketFlags.None, cancellationToken);
            bytes = bytes[n..];
        }
    }

    public void Dispose() => _socket.Dispose();
}
