using OrleansFs.Silo.Web.Models;

namespace OrleansFs.Silo.Web.Data;

/// <summary>The failover timeline: the master's journaled takeovers, newest first.</summary>
public sealed class TimelineReader(MasterCalls master)
{
    public async Task<TimelineModel> ReadAsync(CancellationToken cancellationToken)
    {
        var (info, error) = await master.TryGetInfoAsync(cancellationToken);
        if (info is null) return new TimelineModel([], null, error);
        var takeovers = await master.CallAsync((fs, ct) => fs.GetTakeoversAsync(ct), cancellationToken);
        var entries = takeovers
            .OrderByDescending(t => t.Epoch)
            .Select(t => new TakeoverModel(
                t.Epoch,
                t.SiloAddress,
                t.PreviousSiloAddress,
                t.StartedAt,
                t.DetectionDuration?.TotalMilliseconds,
                t.RecoveryDuration.TotalMilliseconds,
                t.RecordsReplayed,
                t.Cause.ToString(),
                t.DetectionFromFirstVote?.TotalMilliseconds))
            .ToList();
        return new TimelineModel(entries, MasterCalls.ToModel(info), null);
    }
}
