using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansFs.Client.Cluster;
using Orleans.Runtime;
using OrleansFs.Blocks;
using OrleansFs.Client.Streams;
using OrleansFs.Silo.Web.Options;

namespace OrleansFs.Silo.Web.Data;

/// <summary>Capacity, use and block count of each active silo's block store, asked through the client core.</summary>
public sealed partial class WorkerStatsReader(ClusterQueries cluster, FileDataClient data, IOptions<WebOptions> options, ILogger<WorkerStatsReader> logger)
{
    /// <summary>Null when no silo answered: this moment has no block storage to report.</summary>
    public async Task<IReadOnlyDictionary<SiloAddress, WorkerStats>?> ReadAsync(CancellationToken cancellationToken)
    {
        var silos = await cluster.GetActiveSilosAsync(cancellationToken);
        var answers = await Task.WhenAll(silos.Select(s => AskAsync(s, cancellationToken)));
        var stats = answers.Where(a => a.Stats is not null).ToDictionary(a => a.Silo, a => a.Stats!);
        return stats.Count == 0 ? null : stats;
    }

    private async Task<(SiloAddress Silo, WorkerStats? Stats)> AskAsync(SiloAddress silo, CancellationToken cancellationToken)
    {
        try
        {
            return (silo, await data.GetWorkerStatsAsync(silo, cancellationToken).WaitAsync(options.Value.GrainCallTimeout, cancellationToken));
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
