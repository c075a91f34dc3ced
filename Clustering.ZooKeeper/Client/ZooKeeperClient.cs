using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansFs.Clustering.ZooKeeper.Client.Protocol;

namespace OrleansFs.Clustering.ZooKeeper.Client;

/// <summary>
/// One ZooKeeper session. It keeps a single connection to one server of the ensemble, moves to another server with
/// the same session when that connection fails (re-arming its watches there), and reports expiry through
/// <see cref="State"/> and <see cref="StateChanged"/>; after expiry the owner builds a new client. Requests are
/// pipelined: any number may be in flight. Requests made while disconnected wait for a connection for up to one
/// session timeout, then fail with CONNECTIONLOSS.
/// </summary>
public sealed class ZooKeeperClient : IAsyncDisposable
{
    private static readonly byte[] NoPassword = new byte[16];

    private readonly ZooKeeperClientOptions _options;
    private readonly ZooKeeperConnectionString _connectionString;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly CancellationTokenSource _closing = new();
    private TaskCompletionSource _connected = NewSignal();
    private ZooKeeperConnection? _connection;
    private ZooKeeperSessionState _state = ZooKeeperSessionState.Connecting;
    private Task _session = Task.CompletedTask;
    private long _sessionId;
    private byte[] _password;
    private int _negotiatedTimeoutMs;
    private long _lastZxid;

    private ZooKeeperClient(ZooKeeperClientOptions options, ILogger? logger)
    {
        _options = options;
        _connectionString = ZooKeeperConnectionString.Parse(options.ConnectionString);
        _logger = logger ?? NullLogger.Instance;
        Chroot = new ChrootMapper(_connectionString.Chroot);
        Watches = new WatchRegistry();
        Dispatcher = new EventDispatcher(state => StateChanged?.Invoke(state), _logger);
        _sessionId = options.SessionId;
        _password = options.SessionPassword ?? NoPassword;
    }

    /// <summary>Raised off the I/O loop, in order with watch events, whenever <see cref="State"/> changes.</summary>
    public event Action<ZooKeeperSessionState>? StateChanged;

    public ZooKeeperSessionState State
    {
        get { lock (_gate) return _state; }
    }

    public long SessionId => Interlocked.Read(ref _sessionId);

    /// <summary>The session's password; with <see cref="SessionId"/> it lets another client resume the session.</summary>
    public byte[] SessionPassword
    {
        get { lock (_gate) return (byte[])_password.Clone(); }
    }

    /// <summary>The timeout the server granted (it clamps the requested one).</summary>
    public TimeSpan SessionTimeout => TimeSpan.FromMilliseconds(Volatile.Read(ref _negotiatedTimeoutMs));

    /// <summary>The server this client is connected to now, or null while disconnected.</summary>
    public ZooKeeperEndpoint? ConnectedServer
    {
        get { lock (_gate) return _connection?.Server; }
    }

    public ZooKeeperConnectionString ConnectionString => _connectionString;

    internal ChrootMapper Chroot { get; }
    internal WatchRegistry Watches { get; }
    internal EventDispatcher Dispatcher { get; }

    /// <summary>Connects to one of the hosts and creates (or, with SessionId set, resumes) a session.</summary>
    public static async Task<ZooKeeperClient> ConnectAsync(ZooKeeperClientOptions options, ILogger? logger = null, CancellationToken ct = default)
    {
        var client = new ZooKeeperClient(options, logger);
        client._session = Task.Run(() => client.RunSessionAsync(client._closing.Token));
        try
        {
            await client._connected.Task.WaitAsync(options.ConnectTimeout, ct);
            client.ThrowIfFinished(null);
            // Handlers attached after this returns see only later changes, never the first Connected.
            await client.Dispatcher.FlushAsync();
            return client;
        }
        catch (TimeoutException)
        {
            await client.DisposeAsync();
            throw new ZooKeeperException(ZooKeeperErrorCode.ConnectionLoss, null,
                $"no server of {client._connectionString} accepted a session within {options.ConnectTimeout.TotalSeconds:0.#} s");
        }
        catch
        {
            await client.StopAsync(ZooKeeperSessionState.Closed);
            throw;
        }
    }

    /// <summary>Creates a node and returns its actual path (with the suffix for sequential nodes).</summary>
    public async Task<string> CreateAsync(string path, ReadOnlyMemory<byte> data, CreateMode mode = CreateMode.Persistent, CancellationToken ct = default)
    {
        ZooKeeperPath.Validate(path, ZooKeeperOperation.IsSequential(mode));
        var op = mode == CreateMode.Container ? OpCode.CreateContainer : OpCode.Create;
        var request = await SubmitAsync(new PendingRequest(op, path, Chroot.ToServer(path)) { Data = data, Mode = mode }, ct);
        request.ThrowIfError();
        return request.ResultPath!;
    }

    /// <summary>Deletes a node; version -1 deletes whatever the version.</summary>
    public async Task DeleteAsync(string path, int version = -1, CancellationToken ct = default)
    {
        ZooKeeperPath.Validate(path);
        var request = await SubmitAsync(new PendingRequest(OpCode.Delete, path, Chroot.ToServer(path)) { Version = version }, ct);
        request.ThrowIfError();
    }

    /// <summary>The node's stat, or null if it does not exist. The watch fires on create, delete or data change.</summary>
    public async Task<NodeStat?> ExistsAsync(string path, Action<WatchedEvent>? watcher = null, CancellationToken ct = default)
    {
        ZooKeeperPath.Validate(path);
        var request = await SubmitAsync(new PendingRequest(OpCode.Exists, path, Chroot.ToServer(path)) { Watcher = watcher }, ct);
        if (request.Error == ZooKeeperErrorCode.NoNode) return null;
        request.ThrowIfError();
        return request.ResultStat;
    }

    /// <summary>The node's data and stat. The watch fires on delete or data change.</summary>
    public async Task<NodeData> GetDataAsync(string path, Action<WatchedEvent>? watcher = null, CancellationToken ct = default)
    {
        ZooKeeperPath.Validate(path);
        var request = await SubmitAsync(new PendingRequest(OpCode.GetData, path, Chroot.ToServer(path)) { Watcher = watcher }, ct);
        request.ThrowIfError();
        return new NodeData(request.ResultData!, request.ResultStat!.Value);
    }

    /// <summary>Replaces the node's data if its version matches (-1 for any) and returns the new stat.</summary>
    public async Task<NodeStat> SetDataAsync(string path, ReadOnlyMemory<byte> data, int version = -1, CancellationToken ct = default)
    {
        ZooKeeperPath.Validate(path);
        var request = await SubmitAsync(new PendingRequest(OpCode.SetData, path, Chroot.ToServer(path)) { Data = data, Version = version }, ct);
        request.ThrowIfError();
        return request.ResultStat!.Value;
    }

    /// <summary>The node's children with its stat (getChildren2). The watch fires when children change or the node goes.</summary>
    public async Task<NodeChildren> GetChildrenAsync(string path, Action<WatchedEvent>? watcher = null, CancellationToken ct = default)
    {
        ZooKeeperPath.Validate(path);
        var request = await SubmitAsync(new PendingRequest(OpCode.GetChildren2, path, Chroot.ToServer(path)) { Watcher = watcher }, ct);
        request.ThrowIfError();
        return new NodeChildren(request.ResultChildren!, request.ResultStat!.Value);
    }

    /// <summary>
    /// Applies all operations atomically or none. On failure throws <see cref="ZooKeeperMultiException"/> carrying the
    /// failing operation's code and every per-op result (the server reports failure only there).
    /// </summary>
    public async Task<IReadOnlyList<ZooKeeperOperationResult>> MultiAsync(IEnumerable<ZooKeeperOperation> operations, CancellationToken ct = default)
    {
        var list = operations.ToList();
        if (list.Count == 0) return [];
        var request = await SubmitAsync(new PendingRequest(OpCode.Multi, list[0].Path, Chroot.ToServer(list[0].Path)) { Operations = list }, ct);
        request.ThrowIfError();
        return request.ResultOperations!;
    }

    /// <summary>Waits until the server this client talks to has caught up with the leader for this path.</summary>
    public async Task SyncAsync(string path = "/", CancellationToken ct = default)
    {
        ZooKeeperPath.Validate(path);
        var request = await SubmitAsync(new PendingRequest(OpCode.Sync, path, Chroot.ToServer(path)), ct);
        request.ThrowIfError();
    }

    /// <summary>Ends the session: the server removes its ephemeral nodes at once.</summary>
    public async Task CloseAsync(CancellationToken ct = default)
    {
        ZooKeeperConnection? connection;
        lock (_gate)
        {
            if (_state is ZooKeeperSessionState.Closed or ZooKeeperSessionState.Expired && _closing.IsCancellationRequested) return;
            connection = _state == ZooKeeperSessionState.Connected ? _connection : null;
        }
        if (connection is not null) await SendCloseSessionAsync(connection, ct);
        await StopAsync(ZooKeeperSessionState.Closed);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await CloseAsync();
        }
        catch (Exception ex)
        {
            _logger.LogDebug(ex, "Closing ZooKeeper session {SessionId:x} failed", SessionId);
            await StopAsync(ZooKeeperSessionState.Closed);
        }
    }

    /// <summary>Drops the current connection as if the network failed; the client then reconnects. For tests and operators.</summary>
    public void DropConnection()
    {
        lock (_gate) _connection?.Abort(new ZooKeeperException(ZooKeeperErrorCode.ConnectionLoss, null, "connection dropped on request"));
    }

    internal void ObserveZxid(long zxid)
    {
        // Only the reader loop writes, but replies on an old and a new connection may briefly overlap.
        long seen;
        do
        {
            seen = Interlocked.Read(ref _lastZxid);
            if (zxid <= seen) return;
        }
        while (Interlocked.CompareExchange(ref _lastZxid, zxid, seen) != seen);
    }

    private async Task<PendingRequest> SubmitAsync(PendingRequest request, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var connection = await GetConnectionAsync(request.ClientPath, ct);
        if (!connection.TryEnqueue(request))
            throw new ZooKeeperException(ZooKeeperErrorCode.ConnectionLoss, request.ClientPath, $"connection to {connection.Server} lost before the request was sent");
        if (!ct.CanBeCanceled) return await request.Task;
        using (ct.UnsafeRegister(static (state, token) => ((PendingRequest)state!).Cancel(token), request))
        {
            return await request.Task;
        }
    }

    private ValueTask<ZooKeeperConnection> GetConnectionAsync(string path, CancellationToken ct)
    {
        Task signal;
        lock (_gate)
        {
            if (_state == ZooKeeperSessionState.Connected && _connection is not null) return ValueTask.FromResult(_connection);
            ThrowIfFinishedLocked(path);
            signal = _connected.Task;
        }
        return WaitForConnectionAsync(signal, path, ct);
    }

    private async ValueTask<ZooKeeperConnection> WaitForConnectionAsync(Task signal, string path, CancellationToken ct)
    {
        var wait = _negotiatedTimeoutMs > 0 ? SessionTimeout : _options.SessionTimeout;
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            try
            {
                if (left <= TimeSpan.Zero) throw new TimeoutException();
                await signal.WaitAsync(left, ct);
            }
            catch (TimeoutException)
            {
                throw new ZooKeeperException(ZooKeeperErrorCode.ConnectionLoss, path, $"not connected to any of {_connectionString} for {wait.TotalSeconds:0.#} s");
            }
            lock (_gate)
            {
                if (_state == ZooKeeperSessionState.Connected && _connection is not null) return _connection;
                ThrowIfFinishedLocked(path);
                signal = _connected.Task;
            }
        }
    }

    private void ThrowIfFinished(string? path)
    {
        lock (_gate) ThrowIfFinishedLocked(path);
    }

    private void ThrowIfFinishedLocked(string? path)
    {
        if (_state == ZooKeeperSessionState.Expired)
            throw new ZooKeeperException(ZooKeeperErrorCode.SessionExpired, path, $"session 0x{_sessionId:x} has expired; create a new client");
        if (_state == ZooKeeperSessionState.Closed)
            throw new ZooKeeperException(ZooKeeperErrorCode.ConnectionLoss, path, "the client is closed");
    }

    private async Task RunSessionAsync(CancellationToken closing)
    {
        var hosts = _connectionString.Hosts.OrderBy(_ => Random.Shared.Next()).ToArray();
        int next = 0;
        int failures = 0;
        while (!closing.IsCancellationRequested)
        {
            var server = hosts[next++ % hosts.Length];
            ZooKeeperConnection connection;
            ConnectResponse response;
            try
            {
                (connection, response) = await ZooKeeperConnection.OpenAsync(server, NewConnectRequest(), this, _logger, ConnectTimeoutPerHost(hosts.Length), closing);
            }
            catch (Exception ex) when (!closing.IsCancellationRequested)
            {
                failures++;
                _logger.LogDebug("ZooKeeper {Server} did not take session {SessionId:x}: {Reason}", server, SessionId, ex.Message);
                // After a whole pass over the hosts, back off about a second, as the Java client does.
                await DelayQuietly(failures % hosts.Length == 0 ? 800 + Random.Shared.Next(400) : 0, closing);
                continue;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (response.IsExpired)
            {
                await connection.DisposeAsync();
                Expire();
                return;
            }
            failures = 0;
            await ServeAsync(connection, response, closing);
            // Spread reconnects of many clients a little, but resume quickly.
            await DelayQuietly(Random.Shared.Next(50, 250), closing);
        }
    }

    private async Task ServeAsync(ZooKeeperConnection connection, ConnectResponse response, CancellationToken closing)
    {
        bool resumed = SessionId != 0;
        lock (_gate)
        {
            _sessionId = response.SessionId;
            _password = response.Password;
            _negotiatedTimeoutMs = response.TimeoutMs;
        }
        // Re-arm watches before anything else goes out, so the server replays what was missed first.
        if (Watches.Snapshot(Interlocked.Read(ref _lastZxid), Chroot) is { } watches)
            connection.TryEnqueue(new PendingRequest(OpCode.SetWatches, "/", "/") { WatchesToRestore = watches });
        _logger.LogInformation("ZooKeeper session {SessionId:x} {Action} on {Server}, timeout {TimeoutMs} ms",
            response.SessionId, resumed ? "resumed" : "established", connection.Server, response.TimeoutMs);
        lock (_gate)
        {
            _connection = connection;
            SetState(ZooKeeperSessionState.Connected);
            _connected.TrySetResult();
        }
        var reason = await connection.RunAsync(TimeSpan.FromMilliseconds(response.TimeoutMs));
        lock (_gate)
        {
            _connection = null;
            if (!closing.IsCancellationRequested)
            {
                _connected = NewSignal();
                SetState(ZooKeeperSessionState.Disconnected);
            }
        }
        await connection.DisposeAsync();
        if (!closing.IsCancellationRequested)
            _logger.LogWarning("ZooKeeper session {SessionId:x} lost its connection to {Server}: {Reason}; reconnecting", SessionId, connection.Server, reason.Message);
    }

    private ConnectRequest NewConnectRequest()
    {
        lock (_gate)
        {
            return new ConnectRequest(Interlocked.Read(ref _lastZxid), (int)_options.SessionTimeout.TotalMilliseconds, _sessionId, _password);
        }
    }

    private TimeSpan ConnectTimeoutPerHost(int hostCount)
    {
        var timeout = _negotiatedTimeoutMs > 0 ? SessionTimeout : _options.SessionTimeout;
        return TimeSpan.FromMilliseconds(Math.Max(1000, timeout.TotalMilliseconds / hostCount));
    }

    private void Expire()
    {
        _logger.LogWarning("ZooKeeper session {SessionId:x} has expired; its ephemeral nodes and watches are gone", SessionId);
        Watches.Clear();
        lock (_gate)
        {
            SetState(ZooKeeperSessionState.Expired);
            _connected.TrySetResult();
        }
    }

    private async Task SendCloseSessionAsync(ZooKeeperConnection connection, CancellationToken ct)
    {
        var request = new PendingRequest(OpCode.CloseSession, "/", "/");
        if (!connection.TryEnqueue(request)) return;
        try
        {
            // The server removes the session's ephemerals before it answers; do not hang on a dying server.
            var wait = _negotiatedTimeoutMs > 0 ? SessionTimeout : _options.SessionTimeout;
            await request.Task.WaitAsync(wait, ct);
            _logger.LogInformation("ZooKeeper session {SessionId:x} closed", SessionId);
        }
        catch (Exception ex) when (ex is TimeoutException or ZooKeeperException)
        {
            _logger.LogWarning("Closing ZooKeeper session {SessionId:x} got no answer: {Reason}", SessionId, ex.Message);
        }
    }

    private async Task StopAsync(ZooKeeperSessionState final)
    {
        lock (_gate)
        {
            if (!_closing.IsCancellationRequested) _closing.Cancel();
            _connection?.Abort(new ZooKeeperException(ZooKeeperErrorCode.ConnectionLoss, null, "the client is closing"));
        }
        try
        {
            await _session;
        }
        catch (OperationCanceledException)
        {
        }
        lock (_gate)
        {
            if (_state != ZooKeeperSessionState.Expired) SetState(final);
            _connected.TrySetResult();
        }
        await Dispatcher.StopAsync();
    }

    private void SetState(ZooKeeperSessionState state)
    {
        if (_state == state) return;
        _state = state;
        Dispatcher.PostState(state);
    }

    private static async Task DelayQuietly(int milliseconds, CancellationToken ct)
    {
        if (milliseconds <= 0) return;
        try
        {
            await Task.Delay(milliseconds, ct);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
