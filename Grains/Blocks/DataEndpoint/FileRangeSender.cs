using System.Net.Sockets;

namespace OrleansFs.Grains.Blocks.DataEndpoint;

/// <summary>
/// Sends a small header and then a range of an open file on a plain TCP socket, the file's part with sendfile(2)
/// (<see cref="Socket.SendPacketsAsync"/> with a file element): the bytes go from the page cache to the socket
/// without being copied through this process. Not for TLS, whose bytes must pass through SslStream. One send at a
/// time; a cancelled send closes the socket, since part of a frame may be on the wire.
/// </summary>
internal sealed class FileRangeSender : IDisposable
{
    private readonly Socket _socket;
    private readonly SocketAsyncEventArgs _args = new();
    private TaskCompletionSource<SocketError>? _done;

    public FileRangeSender(Socket socket)
    {
        _socket = socket;
        _args.Completed += (_, e) => _done?.TrySetResult(e.SocketError);
    }

    /// <summary>Sends <paramref name="header"/>, then <paramref name="count"/> bytes of <paramref name="file"/> at <paramref name="offset"/>.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> header, FileStream file, long offset, int count, CancellationToken cancellationToken)
    {
        _args.SendPacketsElements = [new SendPacketsElement(header), new SendPacketsElement(file, offset, count, endOfPacket: true)];
        var done = _done = new TaskCompletionSource<SocketError>(TaskCreationOptions.RunContinuationsAsynchronously);
        SocketError result;
        if (!_socket.SendPacketsAsync(_args)) result = _args.SocketError;
        else
        {
            await using (cancellationToken.Register(static s => ((Socket)s!).Dispose(), _socket))
                result = await done.Task;
            cancellationToken.ThrowIfCancellationRequested();
        }
        _args.SendPacketsElements = null; // the file stream is the caller's
        if (result != SocketError.Success) throw new SocketException((int)result);
    }

    public void Dispose() => _args.Dispose();
}
