using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansFs.ZooKeeper.Protocol;

namespace OrleansFs.ZooKeeper;

/// <summary>
/// One ZooKeeper session. It keeps a single connection to one server of the ensemble, moves to another server with
/// the same session when that connection fails (re-arming its watches there), and reports expiry through
/// <see cref="State"/> and <see cref="StateChanged"/>; after expiry the owner builds a new client. Requests are
/// pipelined: any number may be in flight. Requests made while disconnected wait for a connection for up to one
/// session timeout, then fail with CONNECTIONLOSS.
/// </summary>
public sealed partial class ZooKeeperClient : IAsyncDisposable
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
    private ZooKeeperAuthFailedException? _authFailure;
    private ZooKeeperTlsException? _tlsFailure;
    private volatile string? _lastConnectFailure;
    private readonly List<ZooKeeperAuth> _auth = [];

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
        foreach (var auth in options.Auth ?? []) Remember(auth ?? throw new ArgumentException("an auth entry is null", nameof(options)));
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
            string last = client._lastConnectFailure is { } reason ? $" (last: {reason})" : "";
            throw new ZooKeeperException(ZooKeeperErrorCode.ConnectionLoss, null,
                $"no server of {client._connectionString} accepted a session within {options.ConnectTimeout.TotalSeconds:0.#} s{last}");
        }
        catch
        {
            await client.StopAsync(ZooKeeperSessionState.Closed);
            throw;
        }
    }

    /// <summary>Creates a world-open node (<see cref="ZooKeeperAcl.OpenAclUnsafe"/>) and returns its actual path (with the suffix for sequential nodes).</summary>
    public Task<string> CreateAsync(string path, ReadOnlyMemory<byte> data, CreateMode mode = CreateMode.Persistent, CancellationToken ct = default) =>
        CreateAsync(path, data, mode, null, ct);

    /// <summary>
    /// Creates a node with the given ACL (null: open to anyone) and returns its actual path. An empty ACL is refused
    /// with <see cref="ArgumentException"/>; <see cref="ZooKeeperAcl.CreatorAllAcl"/> needs credentials first
    /// (<see cref="AddAuthAsync(ZooKeeperAuth, CancellationToken)"/>), else the server answers INVALIDACL.
    /// </summary>
    public async Task<string> CreateAsync(string path, ReadOnlyMemory<byte> data, CreateMode mode, IReadOnlyList<ZooKeeperAcl>? acl, CancellationToken ct = default)
    {
        ZooKeeperPath.Validate(path, ZooKeeperOperation.IsSequential(mode));
        var checkedAcl = ZooKeeperAcl.Validate(acl, nameof(acl));
        var op = mode == CreateMode.Container ? OpCode.CreateContainer : OpCode.Create;
        var request = await SubmitAsync(new PendingRequest(op, path, Chroot.ToServer(path)) { Data = data, Mode = mode, Acl = checkedAcl }, ct);
        request.ThrowIfError();
        return request.ResultPath!;
    }

    /// <summary>The node's ACL and stat. Needs READ or ADMIN on the node (NOAUTH otherwise).</summary>
    public async Task<NodeAcl> GetAclAsync(string path, CancellationToken ct = default)
    {
        ZooKeeperPath.Validate(path);
        var request = await SubmitAsync(new PendingRequest(OpCode.GetAcl, path, Chroot.ToServer(path)), ct);
        request.ThrowIfError();
        return new NodeAcl(request.ResultAcl!, request.ResultStat!.Value);
    }

    /// <summary>
    /// Replaces the node's ACL if its ACL version (<see cref="NodeStat.AclVersion"/>) matches (-1 for any); needs ADMIN.
    /// An empty ACL is refused with <see cref="ArgumentException"/>.
    /// </summary>
    public async Task<NodeStat> SetAclAsync(string path, IReadOnlyList<ZooKeeperAcl> acl, int aclVersion = -1, CancellationToken ct = default)
    {
        ZooKeeperPath.Validate(path);
        ArgumentNullException.ThrowIfNull(acl);
        var checkedAcl = ZooKeeperAcl.Validate(acl, nameof(acl));
        var request = await SubmitAsync(new PendingRequest(OpCode.SetAcl, path, Chroot.ToServer(path)) { Acl = checkedAcl, Version = aclVersion }, ct);
        request.ThrowIfError();
        return request.ResultStat!.Value;
    }

    /// <summary>Presents credentials of any scheme the server knows (addauth). See <see cref="AddAuthAsync(ZooKeeperAuth, CancellationToken)"/>.</summary>
    public Task AddAuthAsync(string scheme, ReadOnlyMemory<byte> authBytes, CancellationToken ct = default) =>
        AddAuthAsync(new ZooKeeperAuth(scheme, authBytes.Span), ct);

    /// <summary>
    /// Adds credentials to the session and waits for the server to accept them. They are kept and re-sent after
    /// every reconnect, before the watches are re-armed. If the server refuses them (AUTHFAILED) it closes the
    /// connection: this throws <see cref="ZooKeeperAuthFailedException"/> and the client ends in
    /// <see cref="ZooKeeperSessionState.AuthFailed"/>.
    /// </summary>
    public async Task AddAuthAsync(ZooKeeperAuth auth, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(auth);
        ct.ThrowIfCancellationRequested();
        lock (_gate) Remember(auth);
        var connection = await GetConnectionAsync("/", ct);
        var request = new PendingRequest(OpCode.Auth, "/", "/") { Auth = auth };
        try
        {
            if (!connection.TryEnqueue(request))
                throw new ZooKeeperException(ZooKeeperErrorCode.ConnectionLoss, null, $"connection to {connection.Server} lost before the credentials were sent");
            (await request.Task.WaitAsync(ct)).ThrowIfError();
        }
        catch (ZooKeeperException ex) when (ex.Code == ZooKeeperErrorCode.ConnectionLoss)
        {
            // The credentials are remembered, and a new connection counts as connected only once the server has
            // accepted every remembered credential: reaching one is the answer.
            await WaitForNewConnectionAsync(connection, ct);
        }
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
            LogCloseFailed(_logger, ex, SessionId);
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

    private async Task WaitForNewConnectionAsync(ZooKeeperConnection old, CancellationToken ct)
    {
        while (await GetConnectionAsync("/", ct) == old)
        {
            // The old connection has failed but the session loop has not yet noticed; it will in a moment.
            await Task.Delay(10, ct);
        }
    }

    private void Remember(ZooKeeperAuth auth)
    {
        if (!_auth.Any(known => known.SameAs(auth))) _auth.Add(auth);
    }

    private void ThrowIfFinished(string? path)
    {
        lock (_gate) ThrowIfFinishedLocked(path);
    }

    private void ThrowIfFinishedLocked(string? path)
    {
        if (_state == ZooKeeperSessionState.Expired)
            throw new ZooKeeperException(ZooKeeperErrorCode.SessionExpired, path, $"session 0x{_sessionId:x} has expired; create a new client");
        if (_state == ZooKeeperSessionState.Closed && _tlsFailure is { } tls)
            throw new ZooKeeperTlsException(tls.Server, tls.Reason, tls);
        if (_state == ZooKeeperSessionState.Closed)
            throw new ZooKeeperException(ZooKeeperErrorCode.ConnectionLoss, path, "the client is closed");
        if (_state == ZooKeeperSessionState.AuthFailed)
            throw new ZooKeeperAuthFailedException(_authFailure?.Scheme ?? "", $"the server refused the '{_authFailure?.Scheme}' credentials; build a new client with others");
    }

    private async Task RunSessionAsync(CancellationToken closing)
    {
        var hosts = _connectionString.Hosts.OrderBy(_ => Random.Shared.Next()).ToArray();
        int next = 0;
        int failures = 0;
        int tlsRefusals = 0;
        bool everConnected = false;
        while (!closing.IsCancellationRequested)
        {
            var server = hosts[next++ % hosts.Length];
            ZooKeeperConnection connection;
            ConnectResponse response;
            try
            {
                (connection, response) = await ZooKeeperConnection.OpenAsync(
                    server, NewConnectRequest(), this, _logger, ConnectTimeoutPerHost(hosts.Length), _options.Tls, closing);
            }
            catch (ZooKeeperTlsException ex) when (!closing.IsCancellationRequested)
            {
                failures++;
                _lastConnectFailure = ex.Message;
                LogTlsFailed(_logger, ex, server, ex.Message);
                // Every server refused TLS before there was ever a session: a configuration error, not an outage.
                if (!everConnected && ++tlsRefusals >= hosts.Length)
                {
                    FailTls(ex);
                    return;
                }
                await DelayQuietly(failures % hosts.Length == 0 ? 800 + Random.Shared.Next(400) : 0, closing);
                continue;
            }
            catch (Exception ex) when (!closing.IsCancellationRequested)
            {
                failures++;
                tlsRefusals = 0;
                _lastConnectFailure = ex is ZooKeeperException ? ex.Message : $"{server}: {ex.Message}";
                LogServerRefusedSession(_logger, ex, server, SessionId, ex.Message);
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
            everConnected = true;
            if (!await ServeAsync(connection, response, closing)) return;
            // Spread reconnects of many clients a little, but resume quickly.
            await DelayQuietly(Random.Shared.Next(50, 250), closing);
        }
    }

    /// <summary>Serves one connection until it fails; false when the session is over for good (credentials refused).</summary>
    private async Task<bool> ServeAsync(ZooKeeperConnection connection, ConnectResponse response, CancellationToken closing)
    {
        bool resumed = SessionId != 0;
        PendingRequest[] auth;
        lock (_gate)
        {
            _sessionId = response.SessionId;
            _password = response.Password;
            _negotiatedTimeoutMs = response.TimeoutMs;
            // Set now so that closing can abort it, but callers only get it once it is Connected.
            _connection = connection;
            auth = [.. _auth.Select(a => new PendingRequest(OpCode.Auth, "/", "/") { Auth = a })];
        }
        // Credentials first, then the watches, as the Java client does: the server then checks the re-armed
        // watches, and everything after, with the session's identities in place.
        foreach (var request in auth) connection.TryEnqueue(request);
        if (Watches.Snapshot(Interlocked.Read(ref _lastZxid), Chroot) is { } watches)
            connection.TryEnqueue(new PendingRequest(OpCode.SetWatches, "/", "/") { WatchesToRestore = watches });
        var run = connection.RunAsync(TimeSpan.FromMilliseconds(response.TimeoutMs));
        if (auth.Length == 0 || await AuthenticatedAsync(auth, run))
        {
            LogSessionConnected(_logger, response.SessionId, resumed ? "resumed" : "established", connection.Server, response.TimeoutMs, auth.Length);
            lock (_gate)
            {
                SetState(ZooKeeperSessionState.Connected);
                _connected.TrySetResult();
            }
        }
        var reason = await run;
        if (reason is ZooKeeperAuthFailedException refused)
        {
            await connection.DisposeAsync();
            FailAuth(refused);
            return false;
        }
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
            LogConnectionLost(_logger, reason, SessionId, connection.Server, reason.Message);
        return true;
    }

    /// <summary>Waits for the server to accept every credential; false when the connection ended first.</summary>
    private static async Task<bool> AuthenticatedAsync(PendingRequest[] auth, Task<Exception> run)
    {
        var accepted = Task.WhenAll(auth.Select(a => a.Task));
        await Task.WhenAny(accepted, run);
        // A refusal or a lost connection fails the requests and ends the run; the caller reads the reason from it.
        return accepted.IsCompletedSuccessfully && auth.All(a => a.Task.Result.Error == ZooKeeperErrorCode.Ok);
    }

    private void FailAuth(ZooKeeperAuthFailedException refused)
    {
        LogAuthRefused(_logger, refused, refused.Scheme, SessionId);
        lock (_gate)
        {
            _connection = null;
            _authFailure = refused;
            SetState(ZooKeeperSessionState.AuthFailed);
            _connected.TrySetResult();
        }
    }

    private void FailTls(ZooKeeperTlsException refused)
    {
        lock (_gate)
        {
            _tlsFailure = refused;
            SetState(ZooKeeperSessionState.Closed);
            _connected.TrySetResult();
        }
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
        LogExpired(_logger, SessionId);
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
            LogClosed(_logger, SessionId);
        }
        catch (Exception ex) when (ex is TimeoutException or ZooKeeperException)
        {
            LogCloseNoAnswer(_logger, ex, SessionId, ex.Message);
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
            if (_state is not (ZooKeeperSessionState.Expired or ZooKeeperSessionState.AuthFailed)) SetState(final);
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

    [LoggerMessage(EventId = 2000, Level = LogLevel.Debug, Message = "Closing ZooKeeper session {SessionId:x} failed")]
    private static partial void LogCloseFailed(ILogger logger, Exception exception, long sessionId);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "ZooKeeper {Server} did not take session {SessionId:x}: {Reason}")]
    private static partial void LogServerRefusedSession(ILogger logger, Exception exception, ZooKeeperEndpoint server, long sessionId, string reason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information,
        Message = "ZooKeeper session {SessionId:x} {Action} on {Server}, timeout {TimeoutMs} ms, {AuthCount} credentials")]
    private static partial void LogSessionConnected(ILogger logger, long sessionId, string action, ZooKeeperEndpoint server, int timeoutMs, int authCount);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "ZooKeeper session {SessionId:x} lost its connection to {Server}: {Reason}; reconnecting")]
    private static partial void LogConnectionLost(ILogger logger, Exception exception, long sessionId, ZooKeeperEndpoint server, string reason);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Error, Message = "ZooKeeper refused the '{Scheme}' credentials of session {SessionId:x}; the client stops")]
    private static partial void LogAuthRefused(ILogger logger, Exception exception, string scheme, long sessionId);

    [LoggerMessage(EventId = 2310, Level = LogLevel.Warning, Message = "ZooKeeper {Server}: {Reason}")]
    private static partial void LogTlsFailed(ILogger logger, Exception exception, ZooKeeperEndpoint server, string reason);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "ZooKeeper session {SessionId:x} has expired; its ephemeral nodes and watches are gone")]
    private static partial void LogExpired(ILogger logger, long sessionId);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Information, Message = "ZooKeeper session {SessionId:x} closed")]
    private static partial void LogClosed(ILogger logger, long sessionId);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning, Message = "Closing ZooKeeper session {SessionId:x} got no answer: {Reason}")]
    private static partial void LogCloseNoAnswer(ILogger logger, Exception exception, long sessionId, string reason);
}
