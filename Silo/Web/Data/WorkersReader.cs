using OrleansFs.Client.Cluster;
using Orleans.Runtime;
using OrleansFs.Silo.Web.Models;
using OrleansFs.Blocks;

namespace OrleansFs.Silo.Web.Data;

/// <summary>Live and dead silos from the membership table, with activations and the block storage's numbers.</summary>
public sealed class WorkersReader(ClusterQueries cluster, SiloIdentity self, MasterCalls master, WorkerStatsReader statsSource)
{
    public async Task<WorkersModel> ReadAsync(CancellationToken cancellationToken)
    {
        var (info, _) = await master.TryGetInfoAsync(cancellationToken);
        return await ReadAsync(info?.SiloAddress, cancellationToken);
    }

    public async Task<WorkersModel> ReadAsync(string? masterAddress, CancellationToken cancellationToken)
    {
        var hosts = await cluster.GetMembersAsync(cancellationToken);
        var activations = await ReadActivationsAsync(hosts, cancellationToken);
        var stats = await statsSource.ReadAsync(cancellationToken);
        var workers = hosts
            .OrderBy(h => h.Status == SiloStatus.Active ? 0 : 1)
            .ThenBy(h => SiloAddresses.Format(h.SiloAddress), StringComparer.Ordinal)
            .Select(h => ToModel(h, activations, stats, masterAddress))
            .ToList();
        return new WorkersModel(workers, stats is not null);
    }

    private WorkerModel ToModel(
        MembershipEntry host,
        IReadOnlyDictionary<SiloAddress, int> activations,
        IReadOnlyDictionary<SiloAddress, WorkerStats>? stats,
        string? masterAddress)
    {
        string address = SiloAddresses.Format(host.SiloAddress);
        WorkerStats? s = stats is not null && stats.TryGetValue(host.SiloAddress, out var found) ? found : null;
        return new WorkerModel
        {
            Address = address,
            Name = host.SiloName ?? "",
            HostName = host.HostName ?? "",
            Status = host.Status.ToString(),
            IsThisSilo = host.SiloAddress.Equals(self.SiloAddress),
            // Only the current generation hosts the master: a dead row can share the address.
            HostsMaster = host.Status == SiloStatus.Active && address == masterAddress,
            StartTime = AsUtc(host.StartTime),
            LastHeartbeat = AsUtc(host.IAmAliveTime),
            Activations = activations.TryGetValue(host.SiloAddress, out int count) ? count : null,
            CapacityBytes = s?.CapacityBytes,
            UsedBytes = s?.UsedBytes,
            BlockCount = s?.BlockCount,
            Standby = string.IsNullOrEmpty(s?.Standby) ? null : s.Standby,
            Tiers = s?.Tiers.Select(t => new WorkerTierModel(t.Name, t.CapacityBytes, t.UsedBytes, t.UnevictableBytes, t.FreeBytes)).ToList(),
        };
    }

    /// <summary>Activation counts of the active silos; a silo that cannot answer right now just has none.</summary>
    private async Task<IReadOnlyDictionary<SiloAddress, int>> ReadActivationsAsync(MembershipEntry[] hosts, CancellationToken cancellationToken)
    {
        var active = hosts.Where(h => h.Status == SiloStatus.Active).Select(h => h.SiloAddress).ToArray();
        try
        {
            var counts = await cluster.GetActivationCountsAsync(active, cancellationToken);
            return active.Zip(counts).ToDictionary(p => p.First, p => p.Second);
        }
        catch (Exception e) when (e is TimeoutException or SiloUnavailableException or OrleansException)
        {
            return new Dictionary<SiloAddress, int>();
        }
    }

    private static DateTimeOffset AsUtc(DateTime time) =>
        new(DateTime.SpecifyKind(time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : time, DateTimeKind.Utc));
}
