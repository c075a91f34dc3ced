using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansFs.Grains.Failover;
using OrleansFs.Grains.Failover.Sockets;

namespace OrleansFs.Tests.Unit.Failover;

/// <summary>The kernel settings that let a vanished host's connections close in about a second.</summary>
public sealed class DeadPeerSocketsTests
{
    private const int IpProtoTcp = 6;
    private const int TcpUserTimeout = 18;

    [Fact]
    public async Task A_connection_gets_the_user_timeout_and_keep_alive_before_Orleans_sees_it()
    {
        if (!OperatingSystem.IsLinux()) return; // TCP_USER_TIMEOUT is Linux's; elsewhere the middleware does nothing
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
        ConnectionContext? seen = null;
        var builder = new TestConnectionBuilder();
        new DeadPeerSockets(TimeSpan.FromMilliseconds(1500), NullLogger.Instance).Use(builder);
        var pipeline = builder.Use(next => context => { seen = context; return Task.CompletedTask; }).Build();

        await pipeline(new SocketHolder(client));

        Assert.NotNull(seen);
        byte[] value = new byte[4];
        client.GetRawSocketOption(IpProtoTcp, TcpUserTimeout, value);
        Assert.Equal(1500, BitConverter.ToInt32(value));
        Assert.NotEqual(0, (int)client.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive)!);
        Assert.Equal(1, (int)client.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime)!);
    }

    [Fact]
    public void A_negative_user_timeout_is_refused_with_its_key_and_zero_turns_it_off()
    {
        var validator = new FailoverOptionsValidator();

        var refused = validator.Validate(null, new FailoverOptions { TcpUserTimeout = TimeSpan.FromSeconds(-1) });
        var off = validator.Validate(null, new FailoverOptions { TcpUserTimeout = TimeSpan.Zero });

        Assert.True(refused.Failed);
        Assert.Contains("Failover:TcpUserTimeout", refused.FailureMessage);
        Assert.True(off.Succeeded);
    }

    /// <summary>Stands in for Orleans' socket connection, which keeps its socket in a private field.</summary>
    private sealed class SocketHolder(Socket socket) : ConnectionContext
    {
        private readonly Socket _socket = socket;
        public override string ConnectionId { get; set; } = "test";
        public override IFeatureCollection Features { get; } = new FeatureCollection();
        public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();
        public override IDuplexPipe Transport { get; set; } = Loop(new Pipe());
        public override void Abort() => _socket.Close();

        private static IDuplexPipe Loop(Pipe pipe) => new PipePair(pipe.Reader, pipe.Writer);
    }

    private sealed class PipePair(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }

    private sealed class TestConnectionBuilder : IConnectionBuilder
    {
        private readonly List<Func<ConnectionDelegate, ConnectionDelegate>> _middleware = [];
        public IServiceProvider ApplicationServices => throw new NotSupportedException();

        public IConnectionBuilder Use(Func<ConnectionDelegate, ConnectionDelegate> middleware)
        {
            _middleware.Add(middleware);
            return this;
        }

        public ConnectionDelegate Build()
        {
            ConnectionDelegate app = _ => Task.CompletedTask;
            for (int i = _middleware.Count - 1; i >= 0; i--) app = _middleware[i](app);
            return app;
        }
    }
}
