using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansFs.Grains.Journal;

namespace OrleansFs.Grains.Failover;

/// <summary>
/// Connects every silo's <see cref="ZooKeeperEpochStore"/> at startup: any silo may be the next to host the master,
/// and a takeover should not begin with a ZooKeeper session handshake.
/// </summary>
internal sealed partial class EpochStoreWarmup(IServiceProvider services, ILogger<EpochStoreWarmup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!FailoverSiloBuilderExtensions.EpochsInZooKeeper(services)) return; // epochs are in the journal itself
        var epochs = services.GetRequiredService<ZooKeeperEpochStore>();
        try
        {
            await epochs.WarmUpAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not fatal: a takeover connects on demand.
            LogWarmupFailed(logger, e, e.Message);
        }
    }

    [LoggerMessage(EventId = 1150, Level = LogLevel.Warning, Message = "Could not connect the journal epoch store ahead of time: {Reason}")]
    private static partial void LogWarmupFailed(ILogger logger, Exception exception, string reason);
}
