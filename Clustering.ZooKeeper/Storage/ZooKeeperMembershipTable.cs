using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using OrleansFs.ZooKeeper;

namespace OrleansFs.Clustering.ZooKeeper;

/// <summary>
/// Orleans membership in ZooKeeper. Layout under the chroot:
/// <c>/&lt;ClusterId&gt;</c> (its data version is the table version),
/// <c>/&lt;ClusterId&gt;/&lt;silo&gt;</c> (JSON entry; its data version is the row etag) and
/// <c>/&lt;ClusterId&gt;/&lt;silo&gt;/IAmAlive</c> (the heartbeat, kept apart so it never moves the etag).
/// Inserts and updates are one multi that also bumps the table version, so they are compare-and-swap on both.
/// </summary>
public sealed partial class ZooKeeperMembershipTable : IMembershipTable, IAsyncDisposable
{
    private const string IAmAliveNode = "IAmAlive";
    private const int ReadAttempts = 20;

    private readonly ZooKeeperSession _session;
    private readonly ILogger _logger;
    private readonly string _clusterPath;

    public ZooKeeperMembershipTable(IOptions<ZooKeeperClusteringSiloOptions> options, IOptions<ClusterOptions> cluster, ILogger<ZooKeeperMembershipTable> logger)
        : this(options.Value, cluster.Value.ClusterId, logger)
    {
    }

    internal ZooKeeperMembershipTable(ZooKeeperClusteringOptions options, string clusterId, ILogger logger)
    {
        _clusterPath = ClusterPath(clusterId);
        _logger = logger;
        _session = new ZooKeeperSession(options, logger);
    }

    public Task InitializeMembershipTable(bool tryInitTableVersion) => InitializeMembershipTableAsync(tryInitTableVersion, default);

    public async Task InitializeMembershipTableAsync(bool tryInitTableVersion, CancellationToken ct)
    {
        var client = await _session.GetAsync(ct);
        // exists first: a silo without the cluster's credentials gets NOAUTH from create even when the node is there,
        // and its first write then says why.
        if (tryInitTableVersion && await client.ExistsAsync(_clusterPath, ct: ct) is null)
        {
            try
            {
                await client.CreateAsync(_clusterPath, ReadOnlyMemory<byte>.Empty, CreateMode.Persistent, _session.NodeAcl, ct);
                LogTableCreated(_logger, _clusterPath);
            }
            catch (ZooKeeperException ex) when (ex.Code == ZooKeeperErrorCode.NodeExists)
            {
            }
        }
        await client.SyncAsync(_clusterPath, ct);
    }

    public Task DeleteMembershipTableEntries(string clusterId) => DeleteMembershipTableEntriesAsync(clusterId, default);

    public async Task DeleteMembershipTableEntriesAsync(string clusterId, CancellationToken ct)
    {
        var client = await _session.GetAsync(ct);
        var path = ClusterPath(clusterId);
        await DeleteRecursiveAsync(client, path, ct);
        await client.SyncAsync("/", ct);
        LogTableDeleted(_logger, path);
    }

    public Task CleanupDefunctSiloEntries(DateTimeOffset beforeDate) => CleanupDefunctSiloEntriesAsync(beforeDate, default);

    /// <summary>
    /// Removes every row that is not Active and whose latest sign of life is older than <paramref name="beforeDate"/>,
    /// as Orleans' own providers do: a silo that died while Joining or ShuttingDown is never declared Dead, so a
    /// Dead-only sweep would keep its row for ever. An old Active row stays: only the cluster may declare it dead.
    /// </summary>
    public async Task CleanupDefunctSiloEntriesAsync(DateTimeOffset beforeDate, CancellationToken ct)
    {
        var client = await _session.GetAsync(ct);
        var table = await ReadAllAsync(ct);
        foreach (var (entry, etag) in table.Members)
        {
            if (entry.Status == SiloStatus.Active || LatestActivity(entry) >= beforeDate.UtcDateTime) continue;
            var row = RowPath(entry.SiloAddress);
            try
            {
                // Version-checked, so a row that changed since the read stays.
                await client.MultiAsync([ZooKeeperOperation.Delete(row + "/" + IAmAliveNode), ZooKeeperOperation.Delete(row, int.Parse(etag))], ct);
                LogDefunctRemoved(_logger, entry.SiloAddress, entry.Status);
            }
            catch (ZooKeeperMultiException ex)
            {
                LogDefunctNotRemoved(_logger, ex, entry.SiloAddress, ex.Code);
            }
        }
    }

    public Task<MembershipTableData> ReadRow(SiloAddress key) => ReadRowAsync(key, default);

    public async Task<MembershipTableData> ReadRowAsync(SiloAddress key, CancellationToken ct)
    {
        var client = await _session.GetAsync(ct);
        var row = RowPath(key);
        for (int attempt = 1; attempt <= ReadAttempts; attempt++)
        {
            // Pipelined: the session sends them in this order; equal table versions around the row read mean no
            // membership write came in between.
            var before = client.ExistsAsync(_clusterPath, ct: ct);
            var rowRead = TryGetDataAsync(client, row, ct);
            var aliveRead = TryGetDataAsync(client, row + "/" + IAmAliveNode, ct);
            var after = client.ExistsAsync(_clusterPath, ct: ct);
            var version = await RequireTableAsync(before);
            var data = await rowRead;
            var alive = await aliveRead;
            if (version.Version != (await RequireTableAsync(after)).Version) continue;
            var members = new List<Tuple<MembershipEntry, string>>();
            if (data is not null) members.Add(Tuple.Create(MembershipEntrySerializer.Deserialize(row, data.Data, alive?.Data), Etag(data.Stat)));
            return new MembershipTableData(members, TableVersionOf(version));
        }
        throw Inconsistent();
    }

    public Task<MembershipTableData> ReadAll() => ReadAllAsync(default);

    public async Task<MembershipTableData> ReadAllAsync(CancellationToken ct)
    {
        var client = await _session.GetAsync(ct);
        for (int attempt = 1; attempt <= ReadAttempts; attempt++)
        {
            var children = await GetRowNamesAsync(client, ct);
            var reads = children.Children
                .Select(name => (Path: ZooKeeperPath.Combine(_clusterPath, name), Row: TryGetDataAsync(client, ZooKeeperPath.Combine(_clusterPath, name), ct),
                    Alive: TryGetDataAsync(client, ZooKeeperPath.Combine(_clusterPath, name) + "/" + IAmAliveNode, ct)))
                .ToList();
            var after = client.ExistsAsync(_clusterPath, ct: ct);
            var members = new List<Tuple<MembershipEntry, string>>(reads.Count);
            bool rowVanished = false;
            foreach (var read in reads)
            {
                var row = await read.Row;
                var alive = await read.Alive;
                if (row is null)
                {
                    rowVanished = true; // removed by cleanup between the listing and the read
                    continue;
                }
                members.Add(Tuple.Create(MembershipEntrySerializer.Deserialize(read.Path, row.Data, alive?.Data), Etag(row.Stat)));
            }
            var version = await RequireTableAsync(after);
            if (rowVanished || version.Version != children.Stat.Version) continue;
            return new MembershipTableData(members, TableVersionOf(version));
        }
        throw Inconsistent();
    }

    public Task<bool> InsertRow(MembershipEntry entry, TableVersion tableVersion) => InsertRowAsync(entry, tableVersion, default);

    public async Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion tableVersion, CancellationToken ct)
    {
        if (!TryParseVersion(tableVersion.VersionEtag, out int expected)) return false;
        var row = RowPath(entry.SiloAddress);
        return await TryCommitAsync(entry,
        [
            ZooKeeperOperation.SetData(_clusterPath, ReadOnlyMemory<byte>.Empty, expected),
            ZooKeeperOperation.Create(row, MembershipEntrySerializer.SerializeRow(entry), acl: _session.NodeAcl),
            ZooKeeperOperation.Create(row + "/" + IAmAliveNode, MembershipEntrySerializer.SerializeIAmAlive(entry.IAmAliveTime), acl: _session.NodeAcl),
        ], "insert", ct);
    }

    public Task<bool> UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion) => UpdateRowAsync(entry, etag, tableVersion, default);

    public async Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion tableVersion, CancellationToken ct)
    {
        if (!TryParseVersion(tableVersion.VersionEtag, out int expected) || !TryParseVersion(etag, out int rowVersion)) return false;
        var row = RowPath(entry.SiloAddress);
        return await TryCommitAsync(entry,
        [
            ZooKeeperOperation.SetData(_clusterPath, ReadOnlyMemory<byte>.Empty, expected),
            ZooKeeperOperation.SetData(row, MembershipEntrySerializer.SerializeRow(entry), rowVersion),
            ZooKeeperOperation.SetData(row + "/" + IAmAliveNode, MembershipEntrySerializer.SerializeIAmAlive(entry.IAmAliveTime)),
        ], "update", ct);
    }

    public Task UpdateIAmAlive(MembershipEntry entry) => UpdateIAmAliveAsync(entry, default);

    /// <summary>An unconditional write of the heartbeat node only: neither the row etag nor the table version moves.</summary>
    public async Task UpdateIAmAliveAsync(MembershipEntry entry, CancellationToken ct)
    {
        var client = await _session.GetAsync(ct);
        var path = RowPath(entry.SiloAddress) + "/" + IAmAliveNode;
        try
        {
            await client.SetDataAsync(path, MembershipEntrySerializer.SerializeIAmAlive(entry.IAmAliveTime), -1, ct);
        }
        catch (ZooKeeperException ex) when (ex.Code == ZooKeeperErrorCode.NoNode)
        {
            throw new ZooKeeperMembershipTableException($"Cannot record IAmAlive for {entry.SiloAddress}: its row {path} does not exist", ex);
        }
        catch (ZooKeeperException ex) when (ex.Code == ZooKeeperErrorCode.NoAuth)
        {
            throw NotAllowed(ex);
        }
    }

    /// <summary>
    /// Arms a one-shot ZooKeeper watch on the table node: every membership write moves its version, so
    /// <paramref name="changed"/> runs at the next one (or when the session's watches are lost).
    /// </summary>
    internal async Task WatchTableAsync(Action changed, CancellationToken ct)
    {
        var client = await _session.GetAsync(ct);
        if (await client.ExistsAsync(_clusterPath, _ => changed(), ct) is null) throw NotInitialized(null);
    }

    public ValueTask DisposeAsync() => _session.DisposeAsync();

    /// <summary>The id of the session in use (0 before the first operation); for tests that check there is just one.</summary>
    internal long SessionId => _session.Current?.SessionId ?? 0;

    /// <summary>The session in use, for tests that end it from outside.</summary>
    internal ZooKeeperClient? Client => _session.Current;

    internal static string ClusterPath(string clusterId)
    {
        var path = "/" + clusterId;
        if (string.IsNullOrEmpty(clusterId) || clusterId.Contains('/') || ZooKeeperPath.FindProblem(path) is not null)
            throw new ZooKeeperMembershipTableException($"ClusterId '{clusterId}' cannot be a ZooKeeper node name");
        return path;
    }

    private async Task<bool> TryCommitAsync(MembershipEntry entry, ZooKeeperOperation[] operations, string action, CancellationToken ct)
    {
        var client = await _session.GetAsync(ct);
        try
        {
            await client.MultiAsync(operations, ct);
            LogCommitted(_logger, action, entry.SiloAddress, entry.Status);
            return true;
        }
        catch (ZooKeeperMultiException ex) when (ex.Code is ZooKeeperErrorCode.BadVersion or ZooKeeperErrorCode.NodeExists or ZooKeeperErrorCode.NoNode)
        {
            // Lost the compare-and-swap: Orleans re-reads and retries.
            LogLostRace(_logger, ex, action, entry.SiloAddress, ex.Code, ex.Path);
            return false;
        }
        catch (ZooKeeperMultiException ex) when (ex.Code == ZooKeeperErrorCode.NoAuth)
        {
            throw NotAllowed(ex);
        }
    }

    private async Task<NodeChildren> GetRowNamesAsync(ZooKeeperClient client, CancellationToken ct)
    {
        try
        {
            return await client.GetChildrenAsync(_clusterPath, ct: ct);
        }
        catch (ZooKeeperException ex) when (ex.Code == ZooKeeperErrorCode.NoNode)
        {
            throw NotInitialized(ex);
        }
        catch (ZooKeeperException ex) when (ex.Code == ZooKeeperErrorCode.NoAuth)
        {
            // No inner exception: callers that print the innermost message (ofs, the silo host) should print this one.
            throw new ZooKeeperMembershipTableException(
                $"ZooKeeper refused to read the membership table {_clusterPath} ({ex.Code}): it is readable only with the cluster's credentials (ZooKeeper:Auth)")
            {
                AccessDenied = true,
            };
        }
    }

    private async Task<NodeStat> RequireTableAsync(Task<NodeStat?> exists) => await exists ?? throw NotInitialized(null);

    private static async Task<NodeData?> TryGetDataAsync(ZooKeeperClient client, string path, CancellationToken ct)
    {
        try
        {
            return await client.GetDataAsync(path, ct: ct);
        }
        catch (ZooKeeperException ex) when (ex.Code == ZooKeeperErrorCode.NoNode)
        {
            return null;
        }
    }

    private static async Task DeleteRecursiveAsync(ZooKeeperClient client, string path, CancellationToken ct)
    {
        try
        {
            foreach (var child in (await client.GetChildrenAsync(path, ct: ct)).Children)
                await DeleteRecursiveAsync(client, ZooKeeperPath.Combine(path, child), ct);
            await client.DeleteAsync(path, -1, ct);
        }
        catch (ZooKeeperException ex) when (ex.Code == ZooKeeperErrorCode.NoNode)
        {
        }
    }

    private string RowPath(SiloAddress silo) => ZooKeeperPath.Combine(_clusterPath, silo.ToParsableString());

    private static DateTime LatestActivity(MembershipEntry entry)
    {
        var latest = entry.StartTime > entry.IAmAliveTime ? entry.StartTime : entry.IAmAliveTime;
        foreach (var vote in entry.SuspectTimes ?? []) if (vote.Item2 > latest) latest = vote.Item2;
        return latest;
    }

    private static TableVersion TableVersionOf(NodeStat stat) => new(stat.Version, Etag(stat));

    private static string Etag(NodeStat stat) => stat.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private bool TryParseVersion(string? etag, out int version)
    {
        if (int.TryParse(etag, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out version)) return true;
        LogBadEtag(_logger, etag);
        return false;
    }

    private ZooKeeperMembershipTableException NotInitialized(Exception? inner) =>
        new($"The membership table {_clusterPath} does not exist in ZooKeeper; start a silo (InitializeMembershipTable) first", inner);

    // No inner exception: the silo host prints the innermost message, and this one says what to do.
    private ZooKeeperMembershipTableException NotAllowed(ZooKeeperException ex) =>
        new($"ZooKeeper refused a membership write under {_clusterPath} ({ex.Code} on {ex.Path}): its nodes belong to other " +
            "credentials; give every silo the cluster's credentials (ZooKeeper:Auth)")
        {
            AccessDenied = true,
        };

    private ZooKeeperMembershipTableException Inconsistent() =>
        new($"The membership table {_clusterPath} kept changing during {ReadAttempts} read attempts");

    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Created membership table {Path} in ZooKeeper")]
    private static partial void LogTableCreated(ILogger logger, string path);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Deleted membership table {Path}")]
    private static partial void LogTableDeleted(ILogger logger, string path);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Removed defunct silo row {Silo}, last {Status}")]
    private static partial void LogDefunctRemoved(ILogger logger, SiloAddress silo, SiloStatus status);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Debug, Message = "Defunct silo row {Silo} was not removed: {Reason}")]
    private static partial void LogDefunctNotRemoved(ILogger logger, Exception exception, SiloAddress silo, ZooKeeperErrorCode reason);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Debug, Message = "Membership {Action} of {Silo} as {Status} committed")]
    private static partial void LogCommitted(ILogger logger, string action, SiloAddress silo, SiloStatus status);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Debug, Message = "Membership {Action} of {Silo} lost the race: {Code} on {Path}")]
    private static partial void LogLostRace(ILogger logger, Exception exception, string action, SiloAddress silo, ZooKeeperErrorCode code, string? path);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Warning, Message = "Etag {Etag} is not a ZooKeeper version; treating the write as lost")]
    private static partial void LogBadEtag(ILogger logger, string? etag);
}
