using OrleansFs.Client;
using OrleansFs.TestSupport;
using OrleansFs.TestSupport.Chaos;

namespace OrleansFs.Tests.Failover;

/// <summary>
/// The chaos workload against a cluster while <see cref="ChaosFaults"/> kills silos (the master's among them) and a
/// ZooKeeper member, and, when asked, makes silos' hosts vanish (a cluster in namespaces), then the check every chaos test makes: each acknowledged operation reflected exactly once,
/// nothing lost or doubled.
/// </summary>
internal static class ChaosRun
{
    public static async Task<ChaosTally> RunAndCheckAsync(ClusterProcesses cluster, OrleansFsConnection client, string root,
        int workers, int kills, TimeSpan betweenKills, Action<string> output, int vanishes = 0)
    {
        var fs = client.FileSystem;
        var workload = new ChaosWorkload(fs, client.Data, root, workers);
        var faults = new ChaosFaults(cluster, async () => (await fs.GetMasterInfoAsync()).SiloAddress, output);
        using var stop = new CancellationTokenSource();
        var running = workload.RunAsync(stop.Token);
        await faults.RunAsync(kills, betweenKills, vanishes: vanishes);
        stop.Cancel();
        await running;

        var tally = await ChaosTally.CheckAsync(fs, client.Data, workload.Ledger.ToList());
        output(tally.ToString());
        Assert.Empty(tally.Problems);
        Assert.Equal(0, tally.Lost);
        Assert.Equal(0, tally.Doubled);
        Assert.Equal(tally.Acknowledged, tally.ReflectedOnce);
        Assert.True(tally.Acknowledged > 50, $"only {tally.Acknowledged} operations were acknowledged");
        return tally;
    }
}
