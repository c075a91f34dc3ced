using OrleansFs.TestSupport.Chaos;
using OrleansFs.Tests.HostFaults;
using Xunit.Abstractions;

namespace OrleansFs.Tests.Failover;

/// <summary>
/// Short chaos run (bench/Chaos.Bench is the long one, on the same code in TestSupport/Chaos): concurrent
/// creates, CACHE_THROUGH writes, renames and deletes while random silos (the master's included) are SIGKILLed
/// and restarted, two silos' hosts vanish (link down, then back) and one ZooKeeper member is killed. The silos
/// run on hosts of their own (network namespaces) for the vanishes. Every acknowledged operation must be
/// reflected exactly once, and every acknowledged write must read back byte for byte.
/// </summary>
[Collection(HostFaultCollection.Name)]
public sealed class ChaosTests(HostFaultClusterFixture fixture, ITestOutputHelper output)
{
    private const int Workers = 4;
    private const int Kills = 5;
    private const int Vanishes = 2;
    private static readonly TimeSpan BetweenKills = TimeSpan.FromSeconds(6);

    [NetnsFact]
    public async Task AcknowledgedOperationsSurviveRepeatedSiloKillsHostVanishesAndAZooKeeperMemberLossExactlyOnce()
    {
        var tally = await ChaosRun.RunAndCheckAsync(fixture.Cluster, fixture.Client, $"/chaos-{Guid.NewGuid():N}",
            Workers, Kills, BetweenKills, output.WriteLine, Vanishes);
        Assert.True(tally.PersistedBytesVerified > 0, "no write was acknowledged");
    }
}
