using Orleans.Configuration;

namespace OrleansFs.Grains.Failover;

/// <summary>
/// The `Failover` section: how fast the cluster declares a silo dead, so the master re-activates on a
/// survivor in seconds rather than Orleans' tens of seconds. Lower values find dead silos sooner but risk
/// declaring a silo that merely stalled (GC, an overloaded host) dead; see docs/operations.md.
/// </summary>
public sealed class FailoverOptions
{
    public const string Section = "Failover";

    /// <summary>First probe timeout and probe period (Orleans default 5 s). Adaptive timeouts stay within Min..Max.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan MinProbeTimeout { get; set; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan MaxProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>Missed probes before a silo votes its peer dead (Orleans default 3).</summary>
    public int NumMissedProbesLimit { get; set; } = 2;
    /// <summary>Votes needed to declare a silo dead; Orleans caps it at half the active silos.</summary>
    public int NumVotesForDeathDeclaration { get; set; } = 2;
    /// <summary>How often each silo writes its heartbeat row (Orleans default 30 s); rows older than 3× this count as stale.</summary>
    public TimeSpan IAmAliveTablePublishTimeout { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>Periodic full read of the membership table, a fallback to gossip (Orleans default 60 s).</summary>
    public TimeSpan TableRefreshTimeout { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>Votes older than this no longer count (Orleans default 2 min).</summary>
    public TimeSpan DeathVoteExpirationTimeout { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>
    /// Orleans' connection liveness check: no vote against a silo that sent this silo anything within
    /// MaxProbeTimeout × NumMissedProbesLimit. It shields a silo whose own probes stall (GC, starved threads), but a
    /// host that vanishes was heard from until the moment it went, so its first vote waits out that whole window
    /// (4 s with these defaults). Off by default: the indirect probe already needs a second silo to fail to reach
    /// the suspect before a vote counts. See docs/operations.md.
    /// </summary>
    public bool EnableConnectionLivenessCheck { get; set; }
    /// <summary>
    /// TCP_USER_TIMEOUT on silo-to-silo and gateway sockets (with keep-alive after 1 s of silence): a connection
    /// whose sent data goes unacknowledged this long is closed by the kernel, so a vanished host's connections close
    /// and the liveness check above no longer holds its votes back. Zero leaves the kernel's default (~15 min).
    /// </summary>
    public TimeSpan TcpUserTimeout { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>
    /// Declares a silo dead as soon as its process is seen gone while its host is still up: an idle watch connection to
    /// its silo port ended by its host (FIN/RST) and a new connect refused. Never fires for a slow, paused or cut-off
    /// silo (those do not refuse connects), nor for a graceful stop (its row is ShuttingDown or Dead by then). Not used
    /// with Security:Enabled. See docs/operations.md.
    /// </summary>
    public bool FastDeathDetection { get; set; } = true;

    public void Apply(ClusterMembershipOptions options)
    {
        options.ProbeTimeout = ProbeTimeout;
        options.MinProbeTimeout = MinProbeTimeout;
        options.MaxProbeTimeout = MaxProbeTimeout;
        options.NumMissedProbesLimit = NumMissedProbesLimit;
        options.NumVotesForDeathDeclaration = NumVotesForDeathDeclaration;
        options.IAmAliveTablePublishTimeout = IAmAliveTablePublishTimeout;
        options.TableRefreshTimeout = TableRefreshTimeout;
        options.DeathVoteExpirationTimeout = DeathVoteExpirationTimeout;
        options.EnableConnectionLivenessCheck = EnableConnectionLivenessCheck;
    }
}
