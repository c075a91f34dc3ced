using OrleansFs.TestSupport.Chaos;
using Xunit.Abstractions;

namespace OrleansFs.Tests.Failover;

/// <summary>
/// Short chaos run (bench/Chaos.Bench is the long one, on the same code in TestSupport/Chaos): concurrent
/// creates, CACHE_THROUGH writes, renames and deletes while random silos (the master's included) are SIGKILLed
/// and restarted and one ZooKeeper member is killed. Every acknowledged operation must be reflected exactly
/// once, and every acknowledged write must read back byte for byte.
/// </summary>
[Collection(FailoverCollection.Name)]
public sealed class ChaosTests(FailoverClusterFixture fixture, ITestOutputHelper output)
{
    private const int Workers = 4;
    private const int Kills = 5;
    private static readonly TimeSpan BetweenKills = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task AcknowledgedOperationsSurviveRepeatedSilosKillsAndAZooKeeperMemberLossExactlyOnce()
    {
        var fs = fixture.Client.FileSystem;
        var workload = new ChaosWorkload(fs, fixture.Client.Data, $"/chaos-{Guid.NewGuid():N}", Workers);
        var faults = new ChaosFaults(fixture.Cluster, async () => (await fs.GetMasterInfoAsync()).SiloAddress, output.WriteLine);
        using var stop = new CancellationTokenSource();
        var running = workload.RunAsync(stop.Token);

        await faults.RunAsync(Kills, BetweenKills);
        stop.Cancel();
        await running;

        var tally = await ChaosTally.CheckAsync(fs, fixture.Client.Data, workload.Ledger.ToList());
        output.WriteLine(tally.ToString());
        Assert.Empty(tally.Problems);
        Assert.Equal(0, tally.Lost);
        Assert.Equal(0, tally.Doubled);
        Assert.Equal(tally.Acknowledged, tally.ReflectedOnce);
        Assert.True(tally.Acknowledged > 50, $"only {tally.Acknowledged} operations were acknowledged");
        Assert.True(tally.PersistedBytesVerified > 0, "no write was acknowledged");
    }
}
