using Microsoft.Extensions.Options;
using Orleans.Configuration;
using OrleansFs.ZooKeeper;
using OrleansFs.Grains.Journal;
using OrleansFs.Grains.Master.Takeover;
using OrleansFs.Silo.Configuration;

namespace OrleansFs.Silo.Hosting;

/// <summary>
/// Fast failover: failure-detection settings from the `Failover` section, and, when membership is in
/// ZooKeeper, journal epochs there too (the check after each fsync must not trust a shared directory's cache).
/// </summary>
internal static class FailoverWiring
{
    public static void Configure(ISiloBuilder silo, IConfiguration configuration, SiloConfiguration settings)
    {
        var failover = Bind(configuration);
        silo.Services.AddSingleton(failover);
        silo.Configure<ClusterMembershipOptions>(failover.Apply);
        TrackPeerConnections(silo.Services);
        // A PostgreSQL journal keeps its epochs in its own database: one source of truth for the log and its fence.
        if (settings.Membership == MembershipKind.ZooKeeper && !JournalOptionsValidator.IsPostgreSql(configuration["Journal:Kind"]))
            UseZooKeeperEpochs(silo.Services, settings);
    }

    /// <summary>The new master measures failure detection from when its silo lost its connection to the old one.</summary>
    private static void TrackPeerConnections(IServiceCollection services)
    {
        services.AddSingleton<PeerConnectionLog>();
        services.AddOptions<SiloConnectionOptions>().Configure<PeerConnectionLog>((options, log) =>
        {
            options.ConfigureSiloOutboundConnection(connections => PeerConnectionTracking.Use(connections, log));
            options.ConfigureSiloInboundConnection(connections => PeerConnectionTracking.Use(connections, log));
        });
    }

    private static FailoverSettings Bind(IConfiguration configuration)
    {
        var failover = new FailoverSettings();
        try
        {
            configuration.GetSection(FailoverSettings.Section).Bind(failover);
        }
        catch (InvalidOperationException e)
        {
            throw new SiloConfigurationException(e.Message);
        }
        failover.Validate();
        return failover;
    }

    private static void UseZooKeeperEpochs(IServiceCollection services, SiloConfiguration settings)
    {
        services.AddSingleton(sp =>
        {
            var journal = sp.GetRequiredService<IOptions<JournalOptions>>().Value;
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger<ZooKeeperEpochStore>();
            var directoryEpochs = new DirectoryEpochStore(Path.Combine(journal.Directory, "epochs"), logger);
            return new ZooKeeperEpochStore(
                new ZooKeeperClientOptions { ConnectionString = settings.ZooKeeper.ConnectionString!, Auth = settings.ZooKeeper.AuthEntries() },
                $"/ofs-journal/{settings.Cluster.Id}",
                () => directoryEpochs.ReadAllAsync(CancellationToken.None).GetAwaiter().GetResult(),
                logger);
        });
        // Registered after AddOrleansFsJournal's TryAdd or before it: either way this one is resolved.
        services.AddSingleton<IJournalFactory>(sp => new DirectoryJournalFactory(
            sp.GetRequiredService<IOptions<JournalOptions>>(), sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<ZooKeeperEpochStore>()));
        services.AddHostedService<EpochStoreWarmup>();
    }
}
