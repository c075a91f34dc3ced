using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace OrleansFs.Grains.Blocks.DataEndpoint;

/// <summary>
/// This silo's data port for block bytes, like Alluxio's worker data port: TCP on the silo's advertised
/// address and <see cref="WorkerOptions.DataPort"/>, TLS when <paramref name="tls"/> is given. It only moves
/// bytes, and only for requests that carry an access token from the block's grain (<paramref name="tokens"/>);
/// BlockGrains decide placement, begin and complete writes and own length and checksum. It starts before the
/// silo takes grain calls, so every block location it is named in can be reached.
/// </summary>
public sealed partial class DataEndpointServer(
    BlockStore store,
    BlockAccessTokens tokens,
    IOptions<WorkerOptions> options,
    IOptions<EndpointOptions> endpoints,
    ILogger<DataEndpointServer> logger,
    DataEndpointTls? tls = null) : ILifecycleParticipant<ISiloLifecycle>
{
    private CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<DataConnectionHandler, byte> _open = new();
    private Socket? _listener;
    private Task? _accepting;
    private int? _port;

    /// <summary>host:port clients connect to; set once the silo has started.</summary>
    public string Endpoint { get; private set; } = "";

    /// <summary>True when clients must speak TLS to this endpoint.</summary>
    public bool Tls => tls is not null;

    public DataEndpointTraffic Traffic { get; } = new();

    /// <summary>
    /// The newest data protocol version new connections read: <see cref="DataFrameCodec.Version"/>; a test sets 2 to
    /// behave as a worker of an older release, which refuses batched writes.
    /// </summary>
    internal byte ProtocolVersion { get; set; } = OrleansFs.Blocks.DataTransfer.DataFrameCodec.Version;

    /// <summary>Client connections open now (serving or idle in a client's pool).</summary>
    public int OpenConnections => _open.Count;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(DataEndpointServer), ServiceLifecycleStage.RuntimeInitialize, StartAsync, StopAsync);

    /// <summary>Starts listening (the silo's lifecycle calls this); after a stop it listens again.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_listener is not null) return Task.CompletedTask;
        // With security on, a block file other users could open would bypass TLS and the access tokens.
        if (Tls && store.SharedTierDirectories is { Count: > 0 } shared)
            throw new InvalidOperationException(
                $"Security:Enabled needs every tier directory to be private to the silo's user (mode 0700); these are not and could not be narrowed: {string.Join(", ", shared)}");
        _stopping = new CancellationTokenSource();
        var address = endpoints.Value.AdvertisedIPAddress ?? IPAddress.Loopback;
        _listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        // A restart takes the port it had, so locations handed out before stay good.
        _listener.Bind(new IPEndPoint(address, _port ?? options.Value.DataPort));
        _port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _listener.Listen(256);
        Endpoint = _listener.LocalEndPoint!.ToString()!;
        _accepting = AcceptAsync(_listener, _stopping);
        LogListening(logger, Endpoint, Tls ? "TLS" : "plain TCP");
        LogTokens(logger, tokens.Lifetime, tokens.KeySource);
        return Task.CompletedTask;
    }

    /// <summary>Stops listening and closes every open data connection.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_listener is null) return;
        _stopping.Cancel();
        _listener.Dispose();
        _listener = null;
        foreach (var connection in _open.Keys) connection.Dispose();
        if (_accepting is not null) await _accepting;
        LogStopped(logger, Endpoint);
    }

    private async Task AcceptAsync(Socket listener, CancellationTokenSource stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try { socket = await listener.AcceptAsync(stopping.Token); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException && stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                LogAcceptFailed(logger, e, Endpoint);
                continue;
            }
            socket.NoDelay = true;
            Traffic.Accepted();
            var connection = new DataConnectionHandler(socket, tls is null ? null : tls.ServerOptions, store, tokens, Traffic, options.Value.DataIdleTimeout, logger)
            {
                Speaks = ProtocolVersion,
                SendFile = options.Value.DataSendFile,
            };
            _open[connection] = 0;
            _ = ServeAsync(connection, stopping.Token);
        }
    }

    private async Task ServeAsync(DataConnectionHandler connection, CancellationToken stopping)
    {
        try
        {
            await Task.Yield(); // off the accept loop
            await connection.RunAsync(stopping);
        }
        finally
        {
            _open.TryRemove(connection, out _);
            connection.Dispose();
        }
    }

    [LoggerMessage(EventId = 1600, Level = LogLevel.Information, Message = "Data endpoint listening on {DataEndpoint} ({Transport})")]
    private static partial void LogListening(ILogger logger, string dataEndpoint, string transport);

    [LoggerMessage(EventId = 2364, Level = LogLevel.Information, Message = "Data endpoint requests need block access tokens: lifetime {Lifetime}, key {KeySource}")]
    private static partial void LogTokens(ILogger logger, TimeSpan lifetime, string keySource);

    [LoggerMessage(EventId = 1601, Level = LogLevel.Information, Message = "Data endpoint {DataEndpoint} stopped")]
    private static partial void LogStopped(ILogger logger, string dataEndpoint);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Warning, Message = "Data endpoint {DataEndpoint} failed to accept a connection")]
    private static partial void LogAcceptFailed(ILogger logger, Exception exception, string dataEndpoint);
}
