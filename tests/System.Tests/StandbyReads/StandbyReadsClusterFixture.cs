using System.Globalization;
using OrleansFs.Client;
using OrleansFs.TestSupport;

namespace OrleansFs.Tests.StandbyReads;

/// <summary>
/// Three silo processes whose warm standbys are held back (Master:StandbyHoldBack, the test hook: each waits
/// 300 ms before every poll of the journal, so a client that has just written is always ahead of them), and
/// metadata sync off so a standby may answer "not found" and listings too.
/// </summary>
public sealed class StandbyReadsClusterFixture : IAsyncLifetime
{
    public static readonly string[] SiloArguments = ["--Master:StandbyHoldBack=00:00:00.300", "--Master:MetadataSyncInterval=-00:00:01"];

    public ClusterProcesses Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await ClusterProcesses.StartAsync(silos: 3, zooKeeperMembers: 1, extraSiloArguments: SiloArguments);

    /// <summary>A client that finds its gateways in ZooKeeper (and so survives the loss of one).</summary>
    public Task<OrleansFsConnection> ConnectAsync() => OrleansFsClient.ConnectAsync(new OrleansFsClientOptions
    {
        ZooKeeperConnectionString = Cluster.ZooKeeperConnectionString,
        ConnectTimeout = TimeSpan.FromSeconds(30),
    });

    /// <summary>A client whose only gateway is <paramref name="silo"/>: its reads reach that silo's standby.</summary>
    public static Task<OrleansFsConnection> ConnectThroughAsync(SiloProcess silo) =>
        OrleansFsClient.ConnectAsync(new OrleansFsClientOptions { Gateways = [silo.Gateway], ConnectTimeout = TimeSpan.FromSeconds(30) });

    /// <summary>`ofs_standby_reads_total` with this outcome on the silo's /metrics.</summary>
    public static async Task<double> StandbyReadsAsync(SiloProcess silo, string outcome)
    {
        // The Prometheus endpoint caches its answer for 300 ms.
        await Task.Delay(TimeSpan.FromMilliseconds(400));
        string text = await silo.Http.GetStringAsync(new Uri(silo.WebAddress, "metrics"));
        return text.Split('\n')
            .Where(l => l.StartsWith("ofs_standby_reads_total{", StringComparison.Ordinal) && l.Contains($"outcome=\"{outcome}\"", StringComparison.Ordinal))
            .Sum(l => double.Parse(l.Split(' ')[1], CultureInfo.InvariantCulture));
    }

    public async Task DisposeAsync()
    {
        if (Cluster is not null) await Cluster.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class StandbyReadsCollection : ICollectionFixture<StandbyReadsClusterFixture>
{
    public const string Name = "standby reads cluster";
}
