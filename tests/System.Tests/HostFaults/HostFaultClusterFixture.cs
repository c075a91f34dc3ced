using OrleansFs.Client;
using OrleansFs.Master;
using OrleansFs.TestSupport;
using OrleansFs.Tests.Failover;
using OrleansFs.Tests.Network;

namespace OrleansFs.Tests.HostFaults;

/// <summary>
/// One 3-silo cluster, each silo on a host of its own (a network namespace on a bridge), on a 3-member ZooKeeper
/// ensemble and a client in the root namespace; shared by the host-fault tests, each of which heals what it broke.
/// Where namespaces cannot be created nothing starts (the tests skip with the reason).
/// </summary>
public sealed class HostFaultClusterFixture : IAsyncLifetime
{
    /// <summary>How long a host that came back may take to learn it was declared dead and exit (measured: 4–11 s).</summary>
    public static readonly TimeSpan ReturnedSiloBudget = TimeSpan.FromSeconds(60);

    public ClusterProcesses Cluster { get; private set; } = null!;
    public OrleansFsConnection Client { get; private set; } = null!;
    public IFileSystem Fs => Client.FileSystem;

    public async Task InitializeAsync()
    {
        if (HostNetwork.UnavailableReason is not null) return;
        Cluster = await ClusterProcesses.StartInNamespacesAsync(silos: 3, zooKeeperMembers: 3);
        Client = await OrleansFsClient.ConnectAsync(new OrleansFsClientOptions
        {
            ZooKeeperConnectionString = Cluster.ZooKeeperConnectionString,
            ConnectTimeout = TimeSpan.FromSeconds(30),
        });
    }

    /// <summary>Every silo's warm standby has caught up, so a takeover replays only the last records.</summary>
    public async Task WaitStandbysAsync()
    {
        foreach (var silo in Cluster.Silos.Where(s => s.IsRunning)) await silo.WaitStandbyAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>The start time of the Active incarnation of <paramref name="silo"/> in the membership table.</summary>
    public async Task<DateTimeOffset> IncarnationAsync(SiloProcess silo) =>
        (await Fs.GetClusterMembersAsync()).Single(m => m.Address == silo.SiloAddress && m.Status == "Active").StartTime;

    public Task<MasterInfo> WaitForNewMasterAsync(MasterInfo before) => FailoverWaits.ForNewMasterAsync(Fs, before);

    /// <summary>
    /// After its host returned, the old silo either exits or shows as a newer incarnation: never again Active as the
    /// incarnation that was declared dead. Returns what happened, for the test's output.
    /// </summary>
    public async Task<string> WaitOldIncarnationGoneAsync(SiloProcess silo, DateTimeOffset incarnation)
    {
        var deadline = DateTime.UtcNow + ReturnedSiloBudget;
        while (DateTime.UtcNow < deadline)
        {
            if (!silo.IsRunning) return "the old silo exited";
            var members = await Fs.GetClusterMembersAsync();
            if (members.Any(m => m.Address == silo.SiloAddress && m.Status == "Active" && m.StartTime > incarnation))
                return "the old silo rejoined as a new incarnation";
            await Task.Delay(250);
        }
        var rows = await Fs.GetClusterMembersAsync();
        Assert.Fail($"{silo.SiloAddress} neither exited nor rejoined within {ReturnedSiloBudget} after its host returned: " +
                    string.Join(", ", rows.Select(m => $"{m.Address} {m.Status} {m.StartTime:O}")));
        return "";
    }

    /// <summary>Every host whole again, every silo running and Active: the next test starts from a healthy cluster.</summary>
    public async Task HealAsync()
    {
        if (Cluster is null) return;
        foreach (var host in Cluster.Network.Hosts) Cluster.Network.Return(host);
        await Cluster.HealAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            var members = await Fs.GetClusterMembersAsync();
            var missing = Cluster.Silos.Where(s => !members.Any(m => m.Address == s.SiloAddress && m.Status == "Active")).ToList();
            if (missing.Count == 0) return;
            if (DateTime.UtcNow > deadline) Assert.Fail($"not Active again: {string.Join(", ", missing.Select(s => s.SiloAddress))}");
            await Task.Delay(250);
        }
    }

    public async Task DisposeAsync()
    {
        if (Client is not null) await Client.DisposeAsync();
        if (Cluster is not null) await Cluster.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class HostFaultCollection : ICollectionFixture<HostFaultClusterFixture>
{
    public const string Name = "host-fault cluster";
}
