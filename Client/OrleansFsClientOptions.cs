using OrleansFs.Security;

namespace OrleansFs.Client;

/// <summary>How a client finds the cluster and how long it keeps trying.</summary>
public sealed class OrleansFsClientOptions
{
    public const string DefaultGateway = "127.0.0.1:30000";

    /// <summary>Gateway endpoints as `host:port`. Used when neither a ZooKeeper nor a PostgreSQL connection string is set; empty means <see cref="DefaultGateway"/>.</summary>
    public List<string> Gateways { get; set; } = [];
    /// <summary>`host:port,host:port/chroot`: find the gateways in ZooKeeper instead of a static list.</summary>
    public string? ZooKeeperConnectionString { get; set; }
    /// <summary>
    /// `scheme:credentials` (e.g. `digest:ofs:secret`) for ZooKeeper; needed only when the cluster's membership nodes
    /// are not world-readable (`ZooKeeper:WorldReadable=false`). A secret: never logged.
    /// </summary>
    public string? ZooKeeperAuth { get; set; }
    /// <summary>
    /// An Npgsql connection string: find the gateways in the PostgreSQL membership table (`Cluster:Membership=PostgreSql`)
    /// instead of a static list. A secret (it may hold a password): never logged.
    /// </summary>
    public string? PostgreSqlConnectionString { get; set; }
    /// <summary>TLS to the gateways, the data endpoint and (see <see cref="ClientTlsOptions.ZooKeeper"/>) ZooKeeper; off unless set.</summary>
    public ClientTlsOptions Tls { get; set; } = new();
    public string ClusterId { get; set; } = "ofs";
    public string ServiceId { get; set; } = "ofs";

    /// <summary>The deadline for one file-system call, all retries included.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>
    /// How long one attempt may wait for its answer before it counts as failed and is retried (with the same
    /// request id). Short, so a call in flight to a silo that died is retried on the new master within the
    /// failover budget instead of waiting Orleans' 30 s response timeout.
    /// </summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(3);
    /// <summary>Orleans' own bound on any call, including data-stream calls that do not go through the retry policy.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>How often the gateway list is re-read from ZooKeeper or PostgreSQL.</summary>
    public TimeSpan GatewayListRefreshPeriod { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>How long connecting keeps trying before it gives up with an Unavailable error.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>First pause between attempts; it doubles each time (with jitter) up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromMilliseconds(50);
    /// <summary>
    /// Longest pause between attempts. A new master serves about a second after its predecessor's silo dies;
    /// a longer pause would add itself to every failover. Full jitter still spreads clients out.
    /// </summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long this client keeps statuses and listings it read (Alluxio's <c>alluxio.user.metadata.cache</c>); zero,
    /// the default, keeps nothing. Another client's change shows here only once the entry is older than this; this
    /// client's own changes show at once (they drop what they may have made stale).
    /// </summary>
    public TimeSpan MetadataCacheMaxAge { get; set; } = TimeSpan.Zero;
    /// <summary>Entries per listing page fetched from the master (HDFS's <c>dfs.ls.limit</c>), 1 to 10,000.</summary>
    public int ListingPageSize { get; set; } = OrleansFs.Files.ListingRequest.DefaultLimit;

    internal OrleansFsClientOptions Copy()
    {
        var copy = new OrleansFsClientOptions();
        CopyTo(copy);
        return copy;
    }

    internal void CopyTo(OrleansFsClientOptions to)
    {
        to.Gateways = [.. Gateways];
        to.ZooKeeperConnectionString = ZooKeeperConnectionString;
        to.ZooKeeperAuth = ZooKeeperAuth;
        to.PostgreSqlConnectionString = PostgreSqlConnectionString;
        to.Tls = Tls.Copy();
        to.ClusterId = ClusterId;
        to.ServiceId = ServiceId;
        to.CallTimeout = CallTimeout;
        to.AttemptTimeout = AttemptTimeout;
        to.GatewayListRefreshPeriod = GatewayListRefreshPeriod;
        to.ResponseTimeout = ResponseTimeout;
        to.ConnectTimeout = ConnectTimeout;
        to.InitialRetryDelay = InitialRetryDelay;
        to.MaxRetryDelay = MaxRetryDelay;
        to.MetadataCacheMaxAge = MetadataCacheMaxAge;
        to.ListingPageSize = ListingPageSize;
    }
}
