using OrleansFs.Client;
using OrleansFs.Tests.Failover;
using Xunit.Abstractions;

namespace OrleansFs.Tests.HostFaults;

/// <summary>
/// The master's lease on real hosts (network namespaces, a 3-member ZooKeeper ensemble, real silo processes): a master
/// cut from ZooKeeper but not from its clients stops answering within its lease while clients carry on through a new
/// master; a master whose host vanished and came back exits (status 75) and never serves its old epoch again.
/// </summary>
[Collection(HostFaultCollection.Name)]
public sealed class MasterLeaseTests(HostFaultClusterFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>The default lease: three quarters of the default detection time (2 missed probes × 0.5 s).</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromMilliseconds(750);
    /// <summary>An answer sent just before the lease ran out still has to reach the client; a loaded machine adds some.</summary>
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(1);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => fixture.HealAsync();

    [NetnsFact]
    public async Task A_master_cut_from_ZooKeeper_only_stops_answering_within_its_lease_and_clients_carry_on_through_the_new_master()
    {
        await fixture.WaitStandbysAsync();
        var before = await fixture.Fs.GetMasterInfoAsync();
        var victim = fixture.Cluster.SiloAt(before.SiloAddress);
        string root = $"/zk-cut-{Guid.NewGuid():N}";
        await fixture.Fs.CreateDirectoryAsync(root);
        // A client whose only gateway is the master's own silo, which the cut leaves reachable.
        await using var pinned = await OrleansFsClient.ConnectAsync(new OrleansFsClientOptions
        {
            Gateways = [victim.Gateway],
            ConnectTimeout = TimeSpan.FromSeconds(30),
        });
        var probe = new MasterProbe(pinned.FileSystem, root);
        using var stop = new CancellationTokenSource();
        var running = probe.RunAsync(stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(2));

        fixture.Cluster.Network.CutFromZooKeeper(victim.Host!);
        probe.MarkFault();
        var after = await fixture.WaitForNewMasterAsync(before);
        output.WriteLine($"cut {victim.Host} from ZooKeeper (master {victim.SiloAddress}, epoch {before.Epoch}); new master {after.SiloAddress} epoch {after.Epoch} after {probe.Now.TotalMilliseconds:F0} ms");
        var newMasterAt = probe.Now;
        await WaitUntilAsync(() => probe.Reads.Any(r => r.Epoch > before.Epoch) && probe.Writes.Any(w => w.At > newMasterAt), TimeSpan.FromSeconds(30),
            "the client pinned to the cut silo's gateway never reached the new master");
        stop.Cancel();
        await running;

        Report(probe, before.Epoch);
        Assert.NotEqual(victim.SiloAddress, after.SiloAddress);
        AssertOldMasterStoppedWithinLease(probe, before.Epoch, after.ActiveSince);
        // The lease keeper or the writer's epoch check, whichever gave up first, says why the old master stopped.
        string log = victim.ReadLog();
        Assert.True(log.Contains("lease lapsed") || log.Contains("did not confirm journal epoch"), "the old master's silo did not log why it stopped");
        foreach (var write in probe.Writes) Assert.True(await fixture.Fs.ExistsAsync(write.Path), $"{write.Path} was acknowledged but is missing");
        Assert.Empty(JournalSegments.StaleRecords(JournalSegments.ReadRecords(fixture.Cluster.JournalDirectory)));
    }

    [NetnsFact]
    public async Task A_master_whose_host_vanished_and_returned_exits_with_75_and_never_serves_its_old_epoch_again()
    {
        await fixture.WaitStandbysAsync();
        var before = await fixture.Fs.GetMasterInfoAsync();
        var victim = fixture.Cluster.SiloAt(before.SiloAddress);
        var incarnation = await fixture.IncarnationAsync(victim);
        string root = $"/returning-{Guid.NewGuid():N}";
        await fixture.Fs.CreateDirectoryAsync(root);
        var probe = new MasterProbe(fixture.Fs, root);
        using var stop = new CancellationTokenSource();
        var running = probe.RunAsync(stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(2));

        fixture.Cluster.Network.Vanish(victim.Host!);
        probe.MarkFault();
        var after = await fixture.WaitForNewMasterAsync(before);
        var returnedAt = probe.Now;
        fixture.Cluster.Network.Return(victim.Host!);
        string back = await fixture.WaitOldIncarnationGoneAsync(victim, incarnation);
        output.WriteLine($"vanish of {victim.Host}: new master {after.SiloAddress} epoch {after.Epoch}; host returned at {returnedAt.TotalMilliseconds:F0} ms; {back} at {probe.Now.TotalMilliseconds:F0} ms");
        // Time for an old master that did not exit to answer, or try its queued batch, now that it hears ZooKeeper again.
        await Task.Delay(TimeSpan.FromSeconds(3));
        stop.Cancel();
        await running;

        Report(probe, before.Epoch);
        if (!victim.IsRunning)
        {
            Assert.Equal(75, victim.ExitCode);
            Assert.Contains("declared dead by the cluster", victim.ReadLog());
        }
        AssertOldMasterStoppedWithinLease(probe, before.Epoch, after.ActiveSince);
        Assert.DoesNotContain(probe.Reads, r => r.At > returnedAt && r.Epoch <= before.Epoch);
        Assert.Empty(JournalSegments.StaleRecords(JournalSegments.ReadRecords(fixture.Cluster.JournalDirectory)));
        var final = await fixture.Fs.GetMasterInfoAsync();
        Assert.True(final.Epoch >= after.Epoch, $"the master went back to epoch {final.Epoch} on {final.SiloAddress}");
    }

    /// <summary>
    /// Nothing answered by the old epoch arrived later than its lease (plus delivery) after the fault: no read, and no
    /// write whose journal record carries the old epoch, unless it came after the new master activated: a write the
    /// old master made durable but could not confirm is answered to the retry by the new master, from its retry cache.
    /// </summary>
    private void AssertOldMasterStoppedWithinLease(MasterProbe probe, long oldEpoch, DateTimeOffset newMasterActiveSince)
    {
        var bound = Lease + Delivery;
        var lateReads = probe.Reads.Where(r => r.Epoch == oldEpoch && r.At > bound).ToList();
        Assert.True(lateReads.Count == 0, $"the old master answered reads {string.Join(", ", lateReads.Select(r => $"{r.At.TotalMilliseconds:F0} ms"))} after the fault");
        var epochs = MasterProbe.EpochOfEachCreate(fixture.Cluster.JournalDirectory);
        foreach (var write in probe.Writes)
        {
            Assert.True(epochs.TryGetValue(write.Path, out long epoch), $"{write.Path} was acknowledged but is not in the journal");
            Assert.False(epoch == oldEpoch && write.At > bound && write.WallClock < newMasterActiveSince,
                $"{write.Path} was acknowledged by the old epoch {write.At.TotalMilliseconds:F0} ms after the fault, before the new master activated");
        }
    }

    private void Report(MasterProbe probe, long oldEpoch)
    {
        var lastOld = probe.Reads.Where(r => r.Epoch == oldEpoch).Select(r => r.At).DefaultIfEmpty().Max();
        var firstNew = probe.Reads.Where(r => r.Epoch > oldEpoch).Select(r => r.At).DefaultIfEmpty().Min();
        string last = lastOld < TimeSpan.Zero ? "before the fault" : $"{lastOld.TotalMilliseconds:F0} ms after it";
        output.WriteLine($"reads: {probe.Reads.Count}, last from epoch {oldEpoch} {last}, first from a newer epoch at {firstNew.TotalMilliseconds:F0} ms; " +
                         $"writes acknowledged: {probe.Writes.Count}");
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string failure)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail(failure);
            await Task.Delay(100);
        }
    }
}
