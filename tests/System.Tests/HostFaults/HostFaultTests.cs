using System.Diagnostics;
using OrleansFs.TestSupport;
using OrleansFs.TestSupport.Chaos;
using OrleansFs.Tests.Failover;
using OrleansFs.Tests.Network;
using Xunit.Abstractions;

namespace OrleansFs.Tests.HostFaults;

/// <summary>
/// The master's machine fails as machines do: its packets stop (no reset, no refusal), or it can still send but no
/// longer receive. The cluster moves the master, the client carries on within 10 s, nothing acknowledged is lost,
/// the fenced master wrote nothing past the new epoch, and when the host comes back its silo exits or rejoins as a
/// new incarnation. Real silo processes in network namespaces, a real ZooKeeper ensemble, real dropped packets.
/// </summary>
[Collection(HostFaultCollection.Name)]
public sealed class HostFaultTests(HostFaultClusterFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>The bound for the client's next metadata call; Failover.Bench measures the real figure.</summary>
    private static readonly TimeSpan FirstCallBudget = TimeSpan.FromSeconds(10);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => fixture.HealAsync();

    [NetnsFact]
    public Task WhenTheMastersHostVanishesTheClientCarriesOnWithinTenSecondsAndNothingAcknowledgedIsLost() =>
        CutTheMastersHostAsync("vanish", host => fixture.Cluster.Network.Vanish(host));

    [NetnsFact]
    public Task WhenTheMastersHostCanSendButNotReceiveTheClientCarriesOnWithinTenSecondsAndNothingAcknowledgedIsLost() =>
        CutTheMastersHostAsync("partition", host => fixture.Cluster.Network.PartitionInbound(host));

    private async Task CutTheMastersHostAsync(string fault, Action<NetworkHost> cut)
    {
        var fs = fixture.Fs;
        string root = $"/{fault}-{Guid.NewGuid():N}";
        await fixture.WaitStandbysAsync();
        var before = await fs.GetMasterInfoAsync();
        var victim = fixture.Cluster.SiloAt(before.SiloAddress);
        var incarnation = await fixture.IncarnationAsync(victim);

        // Creates, CACHE_THROUGH writes, renames and deletes in flight across the cut: the ones acknowledged are checked.
        var workload = new ChaosWorkload(fs, fixture.Client.Data, root, workers: 2);
        using var stop = new CancellationTokenSource();
        var running = workload.RunAsync(stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(2));

        cut(victim.Host!);
        var clock = Stopwatch.StartNew();
        string probe = $"{root}-after-cut";
        await fs.CreateDirectoryAsync(probe);
        var firstCall = clock.Elapsed;
        output.WriteLine($"{fault} of {victim.Host} (master {victim.SiloAddress}, epoch {before.Epoch}): next metadata call succeeded after {firstCall.TotalMilliseconds:F0} ms");

        var after = await fixture.WaitForNewMasterAsync(before);
        output.WriteLine($"new master {after.SiloAddress} epoch {after.Epoch} after {clock.ElapsedMilliseconds} ms");
        await Task.Delay(TimeSpan.FromSeconds(2));
        stop.Cancel();
        await running;

        fixture.Cluster.Network.Return(victim.Host!);
        string back = await fixture.WaitOldIncarnationGoneAsync(victim, incarnation);
        output.WriteLine($"{back} ({clock.ElapsedMilliseconds} ms after the cut)");
        // Time for a fenced master that did not exit to try its queued batch once it hears from ZooKeeper again.
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.True(firstCall < FirstCallBudget, $"the first metadata call after the {fault} took {firstCall}");
        Assert.NotEqual(victim.SiloAddress, after.SiloAddress);
        var takeover = (await fs.GetTakeoversAsync()).Single(t => t.Epoch == after.Epoch);
        Assert.Equal(victim.SiloAddress, takeover.PreviousSiloAddress);
        output.WriteLine($"takeover: {takeover.Cause}, detection {takeover.DetectionDuration}, recovery {takeover.RecoveryDuration}");
        Assert.True(await fs.ExistsAsync(probe), $"{probe} was acknowledged but is missing");

        var tally = await ChaosTally.CheckAsync(fs, fixture.Client.Data, workload.Ledger.ToList());
        output.WriteLine(tally.ToString());
        Assert.Empty(tally.Problems);
        Assert.Equal(tally.Acknowledged, tally.ReflectedOnce);
        Assert.True(tally.Acknowledged > 0, "nothing was acknowledged around the cut");

        // Epochs only grow along the journal: the old master appended nothing past the new epoch's seal, not even
        // after its host came back.
        var records = JournalSegments.ReadRecords(fixture.Cluster.JournalDirectory);
        var stale = JournalSegments.StaleRecords(records);
        output.WriteLine($"journal: {records.Count} records, {stale.Count} of an old epoch past a newer one");
        Assert.Empty(stale);
        var final = await fs.GetMasterInfoAsync();
        Assert.True(final.Epoch >= after.Epoch, $"the master went back to epoch {final.Epoch} on {final.SiloAddress}");
    }
}
