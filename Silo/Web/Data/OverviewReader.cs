using OrleansFs.Silo.Web.Models;
using OrleansFs.Blocks;

namespace OrleansFs.Silo.Web.Data;

/// <summary>The Overview: who leads, how long this silo has run, the namespace and journal counters, capacity by tier.</summary>
public sealed class OverviewReader(SiloIdentity self, MasterCalls master, WorkersReader workers, WorkerStatsReader statsSource)
{
    public async Task<OverviewModel> ReadAsync(CancellationToken cancellationToken)
    {
        var (info, error) = await master.TryGetInfoAsync(cancellationToken);
        var members = await workers.ReadAsync(info?.SiloAddress, cancellationToken);
        var stats = await statsSource.ReadAsync(cancellationToken);
        return new OverviewModel
        {
            ClusterId = self.ClusterId,
            ServiceId = self.ServiceId,
            ThisSilo = self.Address,
            StartedAt = self.StartedAt,
            UptimeSeconds = Math.Round(self.Uptime.TotalSeconds, 1),
            Master = info is null ? null : MasterCalls.ToModel(info),
            MasterError = error,
            FileCount = info?.FileCount,
            DirectoryCount = info?.DirectoryCount,
            Journal = info is null
                ? null
                : new JournalModel(info.JournalKind, info.JournalLocation, info.JournalSequence, info.LastCheckpointSequence, info.LastCheckpointTime),
            Tiers = SumTiers(stats?.Values),
            LiveSilos = members.Workers.Count(w => w.Status == "Active"),
            DeadSilos = members.Workers.Count(w => w.Status == "Dead"),
        };
    }

    private static IReadOnlyList<TierUsageModel> SumTiers(IEnumerable<WorkerStats>? stats) =>
        stats is null
            ? []
            : stats.SelectMany(s => s.Tiers)
                .GroupBy(t => t.Name, StringComparer.OrdinalIgnoreCase)
                .Select(g => new TierUsageModel(g.Key, g.Sum(t => t.CapacityBytes), g.Sum(t => t.UsedBytes)))
                .OrderBy(t => t.Tier, StringComparer.Ordinal)
                .ToList();
}
