using System.Net;
using System.Net.Sockets;

namespace OrleansFs.Grains.Failover.FastDeath;

/// <summary>
/// One idle TCP connection to a peer silo's silo port, kept open only to learn when the peer's process is gone. A
/// process that dies leaves its host's kernel to answer for it: the connection gets a FIN or RST at once and a new
/// connect is refused. A silo that is merely slow, paused or cut off keeps its connection open, or stops answering
/// (connects time out), and is left to Orleans' probes. So the process counts as gone only when an open watch
/// connection was ended by the peer and the next connect is refused: two answers from the peer's own kernel.
/// The connection sends nothing; it reads and drops the peer's connection preamble.
/// </summary>
internal sealed class PeerWatch(IPEndPoint endpoint, TimeSpan connectTimeout, TimeSpan retryDelay, TimeProvider time)
{
    private static readonly TimeSpan QuickClose = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan FirstQuickRetry = TimeSpan.FromMilliseconds(50);

    /// <summary>A connect that fails while no open watch was ended by the peer: no conclusion, retried.</summary>
    public Action<PeerWatchEnd>? CannotConnect { get; init; }

    /// <summary>Returns when the peer's process is gone: the time its open watch connection was ended by the peer.</summary>
    public async Task<DateTimeOffset> WaitForProcessExitAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset? closedByPeerAt = null;
        int quickCloses = 0;
        while (true)
        {
            var (failure, socket) = await ConnectAsync(cancellationToken);
            if (socket is null)
            {
                var end = failure ?? PeerWatchEnd.NoAnswer;
                if (end == PeerWatchEnd.Refused && closedByPeerAt is { } exitedAt) return exitedAt;
                if (end == PeerWatchEnd.ClosedByPeer)
                {
                    // Reset during the handshake: a listener closing as its process exits. Its kernel answered; soon again.
                    quickCloses++;
                    await Task.Delay(QuickRetryDelay(quickCloses), time, cancellationToken);
                    continue;
                }
                closedByPeerAt = null;
                quickCloses = 0;
                CannotConnect?.Invoke(end);
                await Task.Delay(retryDelay, time, cancellationToken);
                continue;
            }
            using (socket)
            {
                long opened = time.GetTimestamp();
                if (await WaitForEndAsync(socket, cancellationToken) != PeerWatchEnd.ClosedByPeer)
                {
                    closedByPeerAt = null;
                    await Task.Delay(retryDelay, time, cancellationToken);
                    continue;
                }
                closedByPeerAt = time.GetUtcNow();
                // A port that accepts and closes at once (a listener still draining as its process exits, or not an
                // Orleans port): retry soon, then less often.
                quickCloses = time.GetElapsedTime(opened) < QuickClose ? quickCloses + 1 : 0;
            }
            if (quickCloses > 0) await Task.Delay(QuickRetryDelay(quickCloses), time, cancellationToken);
        }
    }

    private TimeSpan QuickRetryDelay(int quickCloses)
    {
        var delay = FirstQuickRetry * Math.Pow(2, Math.Min(quickCloses - 1, 10));
        return delay < retryDelay ? delay : retryDelay;
    }

    /// <summary>An open socket, or why there is none.</summary>
    private async Task<(PeerWatchEnd? Failure, Socket? Socket)> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(connectTimeout);
        try
        {
            await socket.ConnectAsync(endpoint, timeout.Token);
            return (null, socket);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            socket.Dispose();
            return (PeerWatchEnd.Refused, null);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            socket.Dispose();
            return (PeerWatchEnd.ClosedByPeer, null);
        }
        catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            socket.Dispose();
            return (PeerWatchEnd.NoAnswer, null);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Reads (and drops) until the connection ends; says whether the peer's kernel ended it.</summary>
    internal static async Task<PeerWatchEnd> WaitForEndAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[256];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken) > 0)
            {
            }
            return PeerWatchEnd.ClosedByPeer;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            return PeerWatchEnd.ClosedByPeer;
        }
        catch (SocketException)
        {
            return PeerWatchEnd.NoAnswer;
        }
    }
}
