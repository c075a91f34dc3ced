using Microsoft.Extensions.Logging;
using OrleansFs.ZooKeeper;

namespace OrleansFs.Clustering.ZooKeeper;

/// <summary>
/// The one long-lived ZooKeeper session a silo (or client) uses for membership. It is built on first use, creating a
/// missing chroot path, and rebuilt only when the server has expired it (or refused its credentials). With
/// credentials configured it authenticates before anything else, and the chroot nodes it creates are owned by them.
/// </summary>
internal sealed partial class ZooKeeperSession(ZooKeeperClusteringOptions options, ILogger logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ZooKeeperClient? _client;
    private bool _chrootEnsured;
    private bool _disposed;

    public ZooKeeperClient? Current => Volatile.Read(ref _client);

    public async ValueTask<ZooKeeperClient> GetAsync(CancellationToken ct)
    {
        var client = Volatile.Read(ref _client);
        if (IsUsable(client)) return client;
        await _gate.WaitAsync(ct);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (IsUsable(_client)) return _client;
            if (_client is not null)
            {
                LogSessionGone(logger, _client.SessionId);
                await _client.DisposeAsync();
            }
            var connectionString = ZooKeeperConnectionString.Parse(options.ConnectionString ?? "");
            if (!_chrootEnsured && connectionString.Chroot is { } chroot)
            {
                await EnsurePathAsync(connectionString.WithoutChroot().ToString(), chroot, ct);
                _chrootEnsured = true;
            }
            _client = await ZooKeeperClient.ConnectAsync(ClientOptions(connectionString.ToString()), logger, ct);
            return _client;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The ACL for the nodes the owner creates (null: open).</summary>
    public IReadOnlyList<ZooKeeperAcl>? NodeAcl => options.NodeAcl();

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            _disposed = true;
            if (_client is not null) await _client.DisposeAsync();
            _client = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Creates each missing node of the chroot path with a short-lived session without chroot.</summary>
    private async Task EnsurePathAsync(string hosts, string path, CancellationToken ct)
    {
        await using var root = await ZooKeeperClient.ConnectAsync(ClientOptions(hosts), logger, ct);
        var current = "";
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current += "/" + segment;
            await CreateIfMissingAsync(root, current, ct);
        }
        LogChrootPresent(logger, path);
    }

    private static bool IsUsable(ZooKeeperClient? client) =>
        client is { State: not (ZooKeeperSessionState.Expired or ZooKeeperSessionState.Closed or ZooKeeperSessionState.AuthFailed) };

    private async Task CreateIfMissingAsync(ZooKeeperClient client, string path, CancellationToken ct)
    {
        // exists first: on a parent that does not grant CREATE the server answers NOAUTH even when the node is there.
        if (await client.ExistsAsync(path, ct: ct) is not null) return;
        try
        {
            await client.CreateAsync(path, ReadOnlyMemory<byte>.Empty, CreateMode.Persistent, NodeAcl, ct);
        }
        catch (ZooKeeperException ex) when (ex.Code == ZooKeeperErrorCode.NodeExists)
        {
        }
    }

    private ZooKeeperClientOptions ClientOptions(string connectionString) => new()
    {
        ConnectionString = connectionString,
        SessionTimeout = options.SessionTimeout,
        ConnectTimeout = options.ConnectTimeout,
        Auth = options.AuthEntries(),
        Tls = options.Tls,
    };

    [LoggerMessage(EventId = 2110, Level = LogLevel.Warning, Message = "ZooKeeper session {SessionId:x} is gone; building a new one")]
    private static partial void LogSessionGone(ILogger logger, long sessionId);

    [LoggerMessage(EventId = 2111, Level = LogLevel.Information, Message = "ZooKeeper chroot {Chroot} is present")]
    private static partial void LogChrootPresent(ILogger logger, string chroot);
}
