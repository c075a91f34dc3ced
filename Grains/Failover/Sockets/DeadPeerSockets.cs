using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Reflection;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace OrleansFs.Grains.Failover.Sockets;

/// <summary>
/// Makes the kernel give up on a connection whose peer host has gone: TCP_USER_TIMEOUT (sent data unacknowledged
/// for that long closes the connection) and keep-alive probes after a second of silence. A host that vanishes sends
/// no reset, so without this its connections stay open for the kernel's ~15 minutes of retransmissions, and Orleans
/// holds back votes against a silo whose connection is open and was recently heard from. A live peer's kernel
/// acknowledges even while its process is paused (GC, starved threads), so a busy silo is not cut off by this.
/// Orleans keeps the socket inside its connection type, hence reflection, once per connection.
/// </summary>
internal sealed partial class DeadPeerSockets(TimeSpan userTimeout, ILogger logger)
{
    private const int IpProtoTcp = 6;
    private const int TcpUserTimeoutOption = 18;
    private static readonly ConcurrentDictionary<Type, FieldInfo?> SocketFields = new();
    private int _warned;

    public void Use(IConnectionBuilder connections) =>
        connections.Use(next => context =>
        {
            Apply(context);
            return next(context);
        });

    private void Apply(ConnectionContext context)
    {
        if (userTimeout <= TimeSpan.Zero || !OperatingSystem.IsLinux()) return;
        var field = SocketFields.GetOrAdd(context.GetType(), FindSocketField);
        if (field?.GetValue(context) is not Socket socket)
        {
            if (Interlocked.Exchange(ref _warned, 1) == 0) LogNoSocket(logger, context.GetType().FullName ?? "?");
            return;
        }
        try
        {
            socket.SetRawSocketOption(IpProtoTcp, TcpUserTimeoutOption, BitConverter.GetBytes((int)userTimeout.TotalMilliseconds));
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 1);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 1);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // A connection that closed meanwhile needs no timeout.
            if (Interlocked.Exchange(ref _warned, 1) == 0) LogNotSet(logger, e);
        }
    }

    private static FieldInfo? FindSocketField(Type type)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            var field = t.GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
                .FirstOrDefault(f => f.FieldType == typeof(Socket));
            if (field is not null) return field;
        }
        return null;
    }

    [LoggerMessage(EventId = 1930, Level = LogLevel.Warning,
        Message = "Failover:TcpUserTimeout is not applied: the connection type {ConnectionType} holds no socket this silo can find; a vanished host is then detected by probes alone")]
    private static partial void LogNoSocket(ILogger logger, string connectionType);

    [LoggerMessage(EventId = 1931, Level = LogLevel.Warning, Message = "Failover:TcpUserTimeout could not be set on a connection")]
    private static partial void LogNotSet(ILogger logger, Exception exception);
}
