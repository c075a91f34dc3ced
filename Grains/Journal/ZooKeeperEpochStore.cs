using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Extensions.Logging;
using OrleansFs.ZooKeeper;
using OrleansFs.Errors;

namespace OrleansFs.Grains.Journal;

/// <summary>
/// Master epochs in ZooKeeper, for clusters whose membership is there (a shared directory may cache lookups,
/// ZooKeeper does not). Layout under <c>root</c>: <c>epoch</c> holds the highest epoch taken (its znode version
/// is the compare-and-set token), <c>epochs/&lt;E&gt;</c> holds epoch E's seal. Taking an epoch is one multi:
/// a version-checked setData of <c>epoch</c> plus the create of <c>epochs/E</c>, so two masters can never get
/// the same one. The check after each fsync is <c>sync</c> then <c>getData</c>, so it never reads a lagging
/// follower's view. Epochs already taken in the journal directory are copied in when the node is first made,
/// so switching an existing journal to ZooKeeper keeps epochs increasing and seals honoured. With credentials in the
/// client options, every node it creates is theirs alone (CREATOR_ALL): nobody else can read or move the epoch.
/// </summary>
public sealed partial class ZooKeeperEpochStore : IEpochStore, IAsyncDisposable
{
    private const int MaxTakeAttempts = 64;
    private readonly ZooKeeperClientOptions _clientOptions;
    private readonly string _root;
    private readonly string _epochPath;
    private readonly string _epochsPath;
    private readonly Func<IReadOnlyList<EpochInfo>> _seedEpochs;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _connectGate = new(1, 1);
    private ZooKeeperClient? _client;
    private bool _layoutEnsured;
    private readonly IReadOnlyList<ZooKeeperAcl>? _acl;
    private readonly TimeSpan _answerTimeout;
    // Environment.TickCount64 (odd, so never 0) of the first request that went unanswered since the last answer; 0 when answered.
    private long _unansweredSince;

    /// <param name="root">An absolute znode path (under the connection string's chroot), e.g. <c>/ofs-journal/ofs</c>.</param>
    /// <param name="seedEpochs">Epochs taken before ZooKeeper held them (read once, when the layout is first created).</param>
    /// <param name="answerTimeout">How long one request may go unanswered before it fails as Unavailable (default 1 s).</param>
    public ZooKeeperEpochStore(ZooKeeperClientOptions clientOptions, string root, Func<IReadOnlyList<EpochInfo>> seedEpochs, ILogger logger,
        TimeSpan? answerTimeout = null)
    {
        _answerTimeout = answerTimeout ?? TimeSpan.FromSeconds(1);
        _clientOptions = clientOptions;
        _root = root.TrimEnd('/');
        _epochPath = _root + "/epoch";
        _epochsPath = _root + "/epochs";
        _seedEpochs = seedEpochs;
        _logger = logger;
        _acl = clientOptions.Auth.Count > 0 ? ZooKeeperAcl.CreatorAllAcl : null;
    }

    public string Location => $"zookeeper {_clientOptions.ConnectionString}{_root}";

    /// <summary>
    /// True while this silo's session has no connection to any ZooKeeper server, or its last request went unanswered
    /// (a dropped link looks connected until the session's read timeout); false before the first connect.
    /// </summary>
    public bool IsCutOff =>
        Interlocked.Read(ref _unansweredSince) != 0
        || Volatile.Read(ref _client) is { State: not ZooKeeperSessionState.Connected and not ZooKeeperSessionState.Connecting };

    /// <summary>
    /// Opens the session and checks the layout ahead of need, so a silo taking over the master does not spend its
    /// first seconds of the failover on a ZooKeeper handshake.
    /// </summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken) => await ClientAsync(cancellationToken);

    public async Task<long> TakeNextAsync(CancellationToken cancellationToken)
    {
        var client = await ClientAsync(cancellationToken);
        // Waiting for the connection would hold the takeover (and every call queued behind it) for a session timeout.
        if (client.State == ZooKeeperSessionState.Disconnected)
            throw FsException.Unavailable($"this silo has lost its connection to {Location}; the master cannot take an epoch here");
        for (int attempt = 0; attempt < MaxTakeAttempts; attempt++)
        {
            var current = await Call(ct => client.GetDataAsync(_epochPath, ct: ct), cancellationToken);
            long candidate = ReadEpoch(current.Data) + 1;
            try
            {
                using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                bounded.CancelAfter(_answerTimeout);
                await client.MultiAsync(
                [
                    ZooKeeperOperation.SetData(_epochPath, EncodeEpoch(candidate), current.Stat.Version),
                    ZooKeeperOperation.Create(EpochNode(candidate), ReadOnlyMemory<byte>.Empty, acl: _acl),
                ], bounded.Token);
                LogTookEpoch(_logger, candidate, Location);
                return candidate;
            }
            catch (ZooKeeperException e) when (e.Code is ZooKeeperErrorCode.BadVersion or ZooKeeperErrorCode.NodeExists)
            {
                LogEpochTakenByAnother(_logger, e, candidate, Location);
            }
            catch (ZooKeeperException e)
            {
                MarkUnanswered();
                throw Unavailable("take an epoch", e);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                MarkUnanswered();
                throw FsException.Unavailable($"{Location} did not answer within {_answerTimeout.TotalMilliseconds:0} ms; no epoch was taken here");
            }
        }
        throw FsException.Unavailable($"could not take a journal epoch in {Location} after {MaxTakeAttempts} attempts");
    }

    public async Task<IReadOnlyList<EpochInfo>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var client = await ClientAsync(cancellationToken);
        await Call(ct => client.SyncAsync(_epochsPath, ct), cancellationToken);
        var children = await Call(ct => client.GetChildrenAsync(_epochsPath, ct: ct), cancellationToken);
        var epochs = new List<EpochInfo>(children.Children.Count);
        foreach (string name in children.Children)
        {
            if (!long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out long epoch)) continue;
            var node = await Call(ct => client.GetDataAsync(EpochNode(epoch), ct: ct), cancellationToken);
            epochs.Add(new EpochInfo(epoch, ReadSeal(node.Data)));
        }
        epochs.Sort((a, b) => a.Epoch.CompareTo(b.Epoch));
        return epochs;
    }

    public async Task SealAsync(long epoch, long lastSequence, CancellationToken cancellationToken)
    {
        var client = await ClientAsync(cancellationToken);
        var seal = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(seal, lastSequence);
        await Call(ct => client.SetDataAsync(EpochNode(epoch), seal, ct: ct), cancellationToken);
    }

    public async ValueTask<bool> IsSupersededAsync(long epoch, CancellationToken cancellationToken)
    {
        var client = await ClientAsync(cancellationToken);
        // sync first: a follower that has not yet seen the newer epoch must not answer "still current".
        await Call(ct => client.SyncAsync(_epochPath, ct), cancellationToken);
        var current = await Call(ct => client.GetDataAsync(_epochPath, ct: ct), cancellationToken);
        return ReadEpoch(current.Data) > epoch;
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null) await _client.DisposeAsync();
        _connectGate.Dispose();
    }

    private async ValueTask<ZooKeeperClient> ClientAsync(CancellationToken cancellationToken)
    {
        var client = Volatile.Read(ref _client);
        if (client is { State: not (ZooKeeperSessionState.Expired or ZooKeeperSessionState.Closed) } && _layoutEnsured) return client;
        await _connectGate.WaitAsync(cancellationToken);
        try
        {
            if (_client is { State: ZooKeeperSessionState.Expired or ZooKeeperSessionState.Closed })
            {
                await _client.DisposeAsync();
                _client = null;
            }
            try
            {
                _client ??= await ZooKeeperClient.ConnectAsync(_clientOptions, _logger, cancellationToken);
                if (!_layoutEnsured) await EnsureLayoutAsync(_client, cancellationToken);
            }
            catch (ZooKeeperException e)
            {
                throw Unavailable("connect", e);
            }
            _layoutEnsured = true;
            return _client;
        }
        finally
        {
            _connectGate.Release();
        }
    }

    private async Task EnsureLayoutAsync(ZooKeeperClient client, CancellationToken cancellationToken)
    {
        string current = "";
        foreach (string segment in _root.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current += "/" + segment;
            await CreateIfMissingAsync(client, current, ReadOnlyMemory<byte>.Empty, cancellationToken);
        }
        if (await client.ExistsAsync(_epochPath, ct: cancellationToken) is not null) return;
        var seed = _seedEpochs();
        long highest = seed.Count == 0 ? 0 : seed.Max(e => e.Epoch);
        // Seals first, the epoch node last: a store that sees the epoch node sees the seeded seals too.
        await CreateIfMissingAsync(client, _epochsPath, ReadOnlyMemory<byte>.Empty, cancellationToken);
        foreach (var epoch in seed)
            await CreateIfMissingAsync(client, EpochNode(epoch.Epoch), epoch.Seal is { } s ? EncodeEpoch(s) : ReadOnlyMemory<byte>.Empty, cancellationToken);
        await CreateIfMissingAsync(client, _epochPath, EncodeEpoch(highest), cancellationToken);
        LogEpochsSeeded(_logger, Location, highest);
    }

    private async Task CreateIfMissingAsync(ZooKeeperClient client, string path, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        // exists first: under a parent that does not grant CREATE the server answers NOAUTH even when the node is there.
        if (await client.ExistsAsync(path, ct: cancellationToken) is not null) return;
        try
        {
            await client.CreateAsync(path, data, CreateMode.Persistent, _acl, cancellationToken);
        }
        catch (ZooKeeperException e) when (e.Code == ZooKeeperErrorCode.NodeExists)
        {
        }
    }

    /// <summary>
    /// One request, bounded by the answer timeout: a ZooKeeper that does not answer (a dropped link) fails it as
    /// Unavailable long before the connection is declared lost, and marks this silo as cut off until a request succeeds.
    /// </summary>
    private async Task<T> Call<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(_answerTimeout);
        try
        {
            T result = await operation(bounded.Token);
            Interlocked.Exchange(ref _unansweredSince, 0);
            return result;
        }
        catch (ZooKeeperException e)
        {
            MarkUnanswered();
            throw Unavailable("read or write epochs", e);
        }
        catch (OperationCanceledException)
        {
            // The caller's own bound (the lease keeper's) counts as unanswered too.
            MarkUnanswered();
            if (cancellationToken.IsCancellationRequested) throw;
            throw FsException.Unavailable($"{Location} did not answer within {_answerTimeout.TotalMilliseconds:0} ms");
        }
    }

    private async Task Call(Func<CancellationToken, Task> operation, CancellationToken cancellationToken) =>
        await Call(async ct => { await operation(ct); return true; }, cancellationToken);

    private void MarkUnanswered() => Interlocked.CompareExchange(ref _unansweredSince, Environment.TickCount64 | 1, 0);

    private FsException Unavailable(string what, ZooKeeperException e) =>
        FsException.Unavailable($"could not {what} in {Location}: {e.Message}");

    private string EpochNode(long epoch) => $"{_epochsPath}/{epoch.ToString("D19", CultureInfo.InvariantCulture)}";

    private static byte[] EncodeEpoch(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }

    private static long ReadEpoch(byte[] data) => data.Length == 8 ? BinaryPrimitives.ReadInt64BigEndian(data) : 0;

    private static long? ReadSeal(byte[] data) => data.Length == 8 ? BinaryPrimitives.ReadInt64BigEndian(data) : null;

    [LoggerMessage(EventId = 1140, Level = LogLevel.Information, Message = "Took journal epoch {Epoch} in {Location}")]
    private static partial void LogTookEpoch(ILogger logger, long epoch, string location);

    [LoggerMessage(EventId = 1141, Level = LogLevel.Information, Message = "Epoch {Epoch} in {Location} was taken by another master; retrying")]
    private static partial void LogEpochTakenByAnother(ILogger logger, Exception exception, long epoch, string location);

    [LoggerMessage(EventId = 1142, Level = LogLevel.Information, Message = "Journal epochs now live in {Location}, starting after epoch {Epoch}")]
    private static partial void LogEpochsSeeded(ILogger logger, string location, long epoch);
}
