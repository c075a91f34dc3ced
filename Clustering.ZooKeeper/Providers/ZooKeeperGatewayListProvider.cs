using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Messaging;
using Orleans.Runtime;

namespace OrleansFs.Clustering.ZooKeeper;

/// <summary>Lists the gateways of Active silos from the ZooKeeper membership table, for Orleans clients.</summary>
public sealed partial class ZooKeeperGatewayListProvider : IGatewayListProvider, IAsyncDisposable
{
    private readonly ZooKeeperMembershipTable _table;
    private readonly ILogger _logger;

    public ZooKeeperGatewayListProvider(
        IOptions<ZooKeeperGatewayListProviderOptions> options,
        IOptions<ClusterOptions> cluster,
        IOptions<GatewayOptions> gateway,
        ILogger<ZooKeeperGatewayListProvider> logger)
    {
        _logger = logger;
        _table = new ZooKeeperMembershipTable(options.Value, cluster.Value.ClusterId, logger);
        MaxStaleness = gateway.Value.GatewayListRefreshPeriod;
    }

    public TimeSpan MaxStaleness { get; }

    [Obsolete("Orleans considers every provider updatable.")]
    public bool IsUpdatable => true;

    public Task InitializeGatewayListProvider() => InitializeGatewayListProviderAsync(default);

    /// <summary>Opens the session; a client never creates the table.</summary>
    public Task InitializeGatewayListProviderAsync(CancellationToken ct) => _table.InitializeMembershipTableAsync(tryInitTableVersion: false, ct);

    public Task<IList<Uri>> GetGateways() => GetGatewaysAsync(default);

    public async Task<IList<Uri>> GetGatewaysAsync(CancellationToken ct)
    {
        MembershipTableData table;
        try
        {
            table = await _table.ReadAllAsync(ct);
        }
        catch (ZooKeeperMembershipTableException ex) when (!ex.AccessDenied)
        {
            LogNoGateways(_logger, ex, ex.Message);
            return [];
        }
        var gateways = table.Members
            .Select(m => m.Item1)
            .Where(e => e.Status == SiloStatus.Active && e.ProxyPort != 0)
            .Select(e => SiloAddress.New(e.SiloAddress.Endpoint.Address, e.ProxyPort, e.SiloAddress.Generation).ToGatewayUri())
            .ToList();
        LogGateways(_logger, gateways.Count);
        return gateways;
    }

    /// <summary>
    /// Calls <paramref name="onDead"/> as soon as the table declares a silo Dead (<see cref="ZooKeeperSiloDeathWatch"/>),
    /// on this provider's ZooKeeper session; runs until <paramref name="ct"/> is cancelled.
    /// </summary>
    public Task WatchDeathsAsync(Action<SiloDeath> onDead, CancellationToken ct) =>
        new ZooKeeperSiloDeathWatch(_table, _logger).RunAsync(onDead, MaxStaleness, ct);

    public ValueTask DisposeAsync() => _table.DisposeAsync();

    [LoggerMessage(EventId = 2120, Level = LogLevel.Warning, Message = "No gateways: {Reason}")]
    private static partial void LogNoGateways(ILogger logger, Exception exception, string reason);

    [LoggerMessage(EventId = 2121, Level = LogLevel.Debug, Message = "ZooKeeper lists {Count} gateways")]
    private static partial void LogGateways(ILogger logger, int count);
}
