using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;
using OrleansFs.Blocks;
using OrleansFs.Silo.Web.Models;
using OrleansFs.Silo.Web.Options;

namespace OrleansFs.Silo.Web.Seams;

/// <summary>Capacity, use and block count from each active silo's worker grain (placed on that silo).</summary>
public sealed partial class WorkerGrainStatsSource(IGrainFactory grains, IOptions<WebOptions> options, ILogger<WorkerGrainStatsSource> logger) : IWorkerStatsSource
{
    public async Task<IReadOnlyDictionary<SiloAddress, WorkerStats>?> GetAsync(CancellationToken cancellationToken)
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        var answers = await Task.WhenAll(hosts.Keys.Select(s => AskAsync(s, cancellationToken)));
        var stats = answers.Where(a => a.Stats is not null).ToDictionary(a => a.Silo, a => a.Stats!);
        // No silo answering means this build (or this moment) has no block storage to report.
        return stats.Count == 0 ? null : stats;
    }

    private async Task<(SiloAddress Silo, WorkerStats? Stats)> AskAsync(SiloAddress silo, CancellationToken cancellationToken)
    {
        try
        {
            var stats = await grains.GetGrain<IWorkerGrain>(IWorkerGrain.KeyFor(silo)).GetStats()
                .WaitAsync(options.Value.GrainCallTimeout, cancellationToken);
            var tiers = stats.Tiers.Select(t => new TierUsageModel(t.Name, t.CapacityBytes, t.UsedBytes)).ToList();
            return (silo, new WorkerStats(stats.CapacityBytes, stats.UsedBytes, stats.BlockCount, tiers, stats.Standby));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogStatsFailed(logger, e, silo, e.Message);
            return (silo, null);
        }
    }

    [LoggerMessage(EventId = 1810, Level = LogLevel.Warning, Message = "Worker {Silo} did not report its block storage: {Reason}")]
    private static partial void LogStatsFailed(ILogger logger, Exception exception, SiloAddress silo, string reason);
}
