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
        var tally = await ChaosRun.RunAndCheckAsync(fixture.Cluster, fixture.Client, $"/chaos-{Guid.NewGuid():N}",
            Workers, Kills, BetweenKills, output.WriteLine);
        Assert.True(tally.PersistedBytesVerified > 0, "no write was acknowledged");
    }
}
