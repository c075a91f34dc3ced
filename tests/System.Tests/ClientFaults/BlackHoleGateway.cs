using System.Net;
using System.Net.Sockets;

namespace OrleansFs.Tests.ClientFaults;

/// <summary>
/// A gateway address whose host has gone silent, made without network namespaces. <see cref="Dropping"/>: a listener
/// whose one-connection backlog is already full and that never accepts, so the kernel drops every further connection
/// attempt's packets, as it does for a host that vanished. <see cref="Mute"/>: connections are accepted and never
/// answered, and the test can wait for the client to be inside its connect.
/// </summary>
public sealed class BlackHoleGateway : IDisposable
{
    private readonly Socket _listener;
    private readonly List<Socket> _held = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private BlackHoleGateway(int backlog)
    {
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(backlog);
        Address = $"127.0.0.1:{((IPEndPoint)_listener.LocalEndPoint!).Port}";
    }

    /// <summary>`host:port` for `--gateway`.</summary>
    public string Address { get; }

    public static async Task<BlackHoleGateway> DroppingAsync()
    {
        var hole = new BlackHoleGateway(backlog: 0);
        // Fill the accept queue; Linux then drops the SYNs of every later connect.
        for (int i = 0; i < 3; i++)
        {
            var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            hole._held.Add(filler);
            using var quick = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            try
            {
                await filler.ConnectAsync(hole._listener.LocalEndPoint!, quick.Token);
            }
            catch (OperationCanceledException)
            {
                break; // the queue is full: this attempt's SYN was dropped
            }
        }
        return hole;
    }

    public static BlackHoleGateway Mute()
    {
        var hole = new BlackHoleGateway(backlog: 16);
        _ = hole.AcceptForeverAsync();
        return hole;
    }

    /// <summary>Completes when a client has connected to a <see cref="Mute"/> gateway.</summary>
    public Task Connected => _connected.Task;

    private async Task AcceptForeverAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptAsync(_stop.Token);
                lock (_held) _held.Add(socket);
                _connected.TrySetResult();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        lock (_held)
            foreach (var socket in _held) socket.Dispose();
        _stop.Dispose();
    }
}
