using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using OrleansFs.Grains.Failover.Exit;
using OrleansFs.Grains.Failover.FastDeath;
using OrleansFs.Grains.Failover.Handoff;
using OrleansFs.Grains.Failover.Sockets;
using OrleansFs.Grains.Failover.Standby;
using OrleansFs.Grains.Failover.Takeover;
using OrleansFs.Grains.Hosting;
using OrleansFs.Grains.Journal;
using OrleansFs.Grains.Master.Placement;
using Orleans.Placement;
using OrleansFs.Security;
using OrleansFs.ZooKeeper;

namespace OrleansFs.Grains.Failover;

/// <summary>
/// Failover, a piece of <c>AddOrleansFs</c>: failure-detection settings from the `Failover` section, the warm
/// standby, the master's own grain directory, the graceful hand-off and its rehearsal, the peer-connection log
/// takeover inspection reads, the fast path for a dead silo process, and, when membership is in ZooKeeper, journal epochs there too (the check after
/// each fsync must not trust a shared directory's cache).
/// </summary>
internal static class FailoverSiloBuilderExtensions
{
    internal static ISiloBuilder AddOrleansFsFailover(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        services.AddOrleansFsSection<FailoverOptions, FailoverOptionsValidator>(configuration, FailoverOptions.Section);
        services.AddOptions<ClusterMembershipOptions>().Configure<IOptions<FailoverOptions>>((membership, failover) => failover.Value.Apply(membership));
        services.TryAddSingleton<MasterStandby>();
        services.AddHostedService(sp => sp.GetRequiredService<MasterStandby>());
        MasterDirectory.AddTo(silo);
        TrackPeerConnections(services);
        CloseDeadPeerSockets(services);
        UseMembershipEpochs(services);
        // After Orleans' own hosted service, so a graceful stop hands the master off before Orleans begins shutting down.
        services.AddHostedService<MasterHandoff>();
        services.AddHostedService<HandoffRehearsal>();
        UseQuickExitOnFatalError(services);
        services.AddHostedService<MasterWakeup>();
        services.AddHostedService<ProcessDeathWatch>();
        return silo;
    }

    /// <summary>
    /// Replaces Orleans' own fatal-error handler (registered before this runs), so a silo declared dead exits at once,
    /// logged. A test host's handler (Orleans' TestingHost stops the one silo, not the test process) is left alone.
    /// </summary>
    private static void UseQuickExitOnFatalError(IServiceCollection services)
    {
        bool onlyOrleansDefault = services.Where(d => d.ServiceType == typeof(IFatalErrorHandler))
            .All(d => d.ImplementationType?.FullName == "Orleans.Runtime.FatalErrorHandler");
        if (!onlyOrleansDefault) return;
        services.RemoveAll<IFatalErrorHandler>();
        services.AddSingleton<IFatalErrorHandler, SiloExitOnFatalError>();
    }

    /// <summary>The new master measures failure detection from when its silo lost its connection to the old one.</summary>
    private static void TrackPeerConnections(IServiceCollection services)
    {
        services.TryAddSingleton<PeerConnectionLog>();
        services.AddOptions<SiloConnectionOptions>().Configure<PeerConnectionLog>((options, log) =>
        {
            options.ConfigureSiloOutboundConnection(connections => PeerConnectionTracking.Use(connections, log));
            options.ConfigureSiloInboundConnection(connections => PeerConnectionTracking.Use(connections, log));
        });
    }

    /// <summary>Silo-to-silo and gateway sockets give up on a vanished host after Failover:TcpUserTimeout.</summary>
    private static void CloseDeadPeerSockets(IServiceCollection services)
    {
        services.AddOptions<SiloConnectionOptions>().Configure<IOptions<FailoverOptions>, ILoggerFactory>((options, failover, logs) =>
        {
            var sockets = new DeadPeerSockets(failover.Value.TcpUserTimeout, logs.CreateLogger<DeadPeerSockets>());
            options.ConfigureSiloOutboundConnection(sockets.Use);
            options.ConfigureSiloInboundConnection(sockets.Use);
            options.ConfigureGatewayInboundConnection(sockets.Use);
        });
    }

    /// <summary>With membership in ZooKeeper a directory journal's epochs are kept there; otherwise in the journal itself.</summary>
    private static void UseMembershipEpochs(IServiceCollection services)
    {
        services.TryAddSingleton(CreateZooKeeperEpochStore);
        services.AddPlacementFilter<EpochStoreReachableFilter, EpochStoreReachableFilterDirector>(ServiceLifetime.Singleton);
        services.AddSingleton<IJournalFactory>(sp => JournalServiceCollectionExtensions.CreateFactory(
            sp, EpochsInZooKeeper(sp) ? sp.GetRequiredService<ZooKeeperEpochStore>() : null));
        services.AddHostedService<EpochStoreWarmup>();
    }

    /// <summary>A PostgreSQL journal keeps its epochs in its own database: one source of truth for the log and its fence.</summary>
    internal static bool EpochsInZooKeeper(IServiceProvider services) =>
        services.GetRequiredService<IOptions<OrleansFsClusterOptions>>().Value.ParsedMembership == MembershipKind.ZooKeeper
        && !JournalOptionsValidator.IsPostgreSql(services.GetRequiredService<IOptions<JournalOptions>>().Value.Kind);

    private static ZooKeeperEpochStore CreateZooKeeperEpochStore(IServiceProvider sp)
    {
        var journal = sp.GetRequiredService<IOptions<JournalOptions>>().Value;
        var zooKeeper = sp.GetRequiredService<IOptions<ZooKeeperOptions>>().Value;
        var cluster = sp.GetRequiredService<IOptions<OrleansFsClusterOptions>>().Value;
        var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger<ZooKeeperEpochStore>();
        var directoryEpochs = new DirectoryEpochStore(Path.Combine(journal.Directory, "epochs"), logger);
        var tls = ZooKeeperTls.For(zooKeeper, sp.GetRequiredService<IOptions<SecurityOptions>>().Value, sp.GetRequiredService<CertificateSource>());
        return new ZooKeeperEpochStore(
            new ZooKeeperClientOptions { ConnectionString = zooKeeper.ConnectionString!, Auth = zooKeeper.AuthEntries(), Tls = tls },
            $"/ofs-journal/{cluster.Id}",
            () => directoryEpochs.ReadAllAsync(CancellationToken.None).GetAwaiter().GetResult(),
            logger,
            journal.EpochCheckTimeout);
    }
}
