namespace OrleansFs.Client.Cluster;

/// <summary>
/// What Orleans' management grain says about the cluster, for callers that need Orleans' own silo addresses
/// (the web pages match rows to their own silo and to worker statistics by them).
/// </summary>
public sealed class ClusterQueries(IGrainFactory grains)
{
    private IManagementGrain Management => grains.GetGrain<IManagementGrain>(0);

    /// <summary>Every silo in the membership table, dead ones included.</summary>
    public Task<MembershipEntry[]> GetMembersAsync(CancellationToken cancellationToken = default) =>
        Management.GetDetailedHosts(onlyActive: false).WaitAsync(cancellationToken);

    /// <summary>The active silos.</summary>
    public async Task<IReadOnlyList<SiloAddress>> GetActiveSilosAsync(CancellationToken cancellationToken = default) =>
        (await Management.GetHosts(onlyActive: true).WaitAsync(cancellationToken)).Keys.ToList();

    /// <summary>How many grain activations each of <paramref name="silos"/> holds, in the same order.</summary>
    public async Task<IReadOnlyList<int>> GetActivationCountsAsync(SiloAddress[] silos, CancellationToken cancellationToken = default) =>
        (await Management.GetRuntimeStatistics(silos).WaitAsync(cancellationToken)).Select(s => s.ActivationCount).ToList();
}
