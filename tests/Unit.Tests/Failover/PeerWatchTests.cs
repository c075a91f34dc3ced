using System.Net;
using System.Net.Sockets;
using OrleansFs.Grains.Failover;
using OrleansFs.Grains.Failover.FastDeath;

namespace OrleansFs.Tests.Unit.Failover;

/// <summary>
/// The watch on one peer's port, against real loopback sockets: a process gone (its connection closed by its host,
/// its port refusing) ends the watch; a port that never accepted, or a peer that stops answering, does not.
/// </summary>
public sealed class PeerWatchTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task A_closed_watch_connection_and_then_a_refused_connect_is_a_process_exit()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var endpoint = (IPEndPoint)listener.LocalEndpoint;
        var watch = new PeerWatch(endpoint, Short, Short, TimeProvider.System);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var exit = watch.WaitForProcessExitAsync(stop.Token);
        using var accepted = await listener.AcceptSocketAsync(stop.Token);
        accepted.Send([1, 2, 3]); // the peer's preamble: read and dropped
        await Task.Delay(300);
        Assert.False(exit.IsCompleted);
        // What the kernel does when the process dies: the listener goes, the connection is reset.
        listener.Stop();
        var closedAt = DateTimeOffset.UtcNow;
        accepted.LingerState = new LingerOption(true, 0);
        accepted.Close();

        var exitedAt = await exit;
        Assert.InRange(exitedAt, closedAt.AddSeconds(-1), DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task A_peer_that_closes_the_watch_but_still_listens_is_watched_again()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var watch = new PeerWatch((IPEndPoint)listener.LocalEndpoint, Short, Short, TimeProvider.System);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var exit = watch.WaitForProcessExitAsync(stop.Token);
        (await listener.AcceptSocketAsync(stop.Token)).Close();
        // It connects again; this one stays open, so the process is not gone.
        using var second = await listener.AcceptSocketAsync(stop.Token);
        await Task.Delay(500);
        Assert.False(exit.IsCompleted);

        listener.Stop();
        second.Close();
        await exit;
    }

    [Fact]
    public async Task A_port_refusing_from_the_start_is_no_proof_and_is_reported_and_retried()
    {
        var endpoint = FreePort();
        var ends = new List<PeerWatchEnd>();
        var watch = new PeerWatch(endpoint, Short, TimeSpan.FromMilliseconds(100), TimeProvider.System) { CannotConnect = ends.Add };
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(800));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watch.WaitForProcessExitAsync(stop.Token));

        Assert.True(ends.Count >= 2, $"{ends.Count} connects reported");
        Assert.All(ends, e => Assert.Equal(PeerWatchEnd.Refused, e));
    }

    [Fact]
    public async Task A_port_that_does_not_answer_is_not_a_process_exit()
    {
        // A listener whose accept queue is full drops new SYNs, as a vanished host does: connects time out.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var endpoint = (IPEndPoint)listener.LocalEndPoint!;
        var fillers = new List<Socket>();
        for (int i = 0; i < 3; i++)
        {
            var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            fillers.Add(filler);
            using var timeout = new CancellationTokenSource(Short);
            try { await filler.ConnectAsync(endpoint, timeout.Token); } catch (OperationCanceledException) { }
        }
        var ends = new List<PeerWatchEnd>();
        var watch = new PeerWatch(endpoint, Short, Short, TimeProvider.System) { CannotConnect = ends.Add };
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watch.WaitForProcessExitAsync(stop.Token));

        foreach (var filler in fillers) filler.Dispose();
        Assert.NotEmpty(ends);
        Assert.All(ends, e => Assert.Equal(PeerWatchEnd.NoAnswer, e));
    }

    [Fact]
    public void Fast_death_detection_is_on_by_default()
    {
        Assert.True(new FailoverOptions().FastDeathDetection);
        Assert.True(new FailoverOptionsValidator().Validate(null, new FailoverOptions { FastDeathDetection = false }).Succeeded);
    }

    private static IPEndPoint FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var endpoint = (IPEndPoint)listener.LocalEndpoint;
        listener.Stop();
        return endpoint;
    }
}
