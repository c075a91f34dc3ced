using System.Diagnostics;
using OrleansFs.Master;
using OrleansFs.TestSupport;
using Xunit.Abstractions;

namespace OrleansFs.Tests.Failover;

/// <summary>
/// The fast path for a dead silo process (ProcessDeathWatch): a SIGKILLed silo's host answers for it (its connections
/// reset, its port refusing), so the survivors declare it dead at once rather than after the probes; a graceful stop
/// and a paused silo are not touched by it. Real silo processes on loopback, a real ZooKeeper ensemble, real signals.
/// </summary>
[Collection(FailoverCollection.Name)]
public sealed class FastDeathDetectionTests(FailoverClusterFixture fixture, ITestOutputHelper output)
{
    /// <summary>The test's own bound; the probes alone take one to two seconds here, the fast path tens of milliseconds.</summary>
    private static readonly TimeSpan DeclaredDeadBound = TimeSpan.FromSeconds(3);
    private OrleansFs.Client.IFileSystem Fs => fixture.Client.FileSystem;

    [Fact]
    public async Task A_sigkilled_masters_silo_is_declared_dead_by_its_refused_port_and_the_master_moves_and_serves()
    {
        foreach (var silo in fixture.Cluster.Silos.Where(s => s.IsRunning)) await silo.WaitStandbyAsync(TimeSpan.FromSeconds(30));
        var before = await Fs.GetMasterInfoAsync();
        var victim = fixture.Cluster.SiloAt(before.SiloAddress);
        var survivorLines = LinesFromNow(fixture.Cluster.Silos.Where(s => s.IsRunning && s != victim).ToList());

        victim.Kill();
        var clock = Stopwatch.StartNew();
        string? declared = null;
        while (declared is null && clock.Elapsed < DeclaredDeadBound)
        {
            declared = survivorLines().FirstOrDefault(l => l.Contains(FastDeathLine(victim)));
            if (declared is null) await Task.Delay(20);
        }
        output.WriteLine($"after {clock.ElapsedMilliseconds} ms: {declared}");
        Assert.True(declared is not null, $"no survivor declared {victim.SiloAddress} dead through its refused port within {DeclaredDeadBound}");

        // The master moves to a survivor and serves.
        string dir = $"/fast-death-{Guid.NewGuid():N}";
        await Fs.CreateDirectoryAsync(dir);
        Assert.True((await Fs.GetStatusAsync(dir)).IsDirectory);
        var after = await Fs.GetMasterInfoAsync();
        Assert.NotEqual(victim.SiloAddress, after.SiloAddress);
        Assert.True(after.Epoch > before.Epoch);
        Assert.DoesNotContain(await Fs.GetClusterMembersAsync(), m => m.Address == victim.SiloAddress && m.Status == "Active");
        // The new master tells the cause and a short detection: from the process's exit when its own silo's watch saw
        // it, else from the last message it had from the old silo (its watch may not have reached a just-restarted
        // peer yet); either way the fast path's declaration above is what made it short.
        var takeover = (await Fs.GetTakeoversAsync())[^1];
        Assert.Equal((after.Epoch, victim.SiloAddress, TakeoverCause.SiloFailed), (takeover.Epoch, takeover.PreviousSiloAddress, takeover.Cause));
        string line = Assert.Single(fixture.Cluster.SiloAt(after.SiloAddress).ReadLog().Split('\n'), l => l.Contains($"Master takeover: epoch {after.Epoch} "));
        output.WriteLine(line);
        Assert.Matches(@"\(from (its process exit|last message from it);", line);
        Assert.InRange(takeover.DetectionDuration!.Value, TimeSpan.Zero, DeclaredDeadBound);

        await victim.StartProcessAsync(ClusterProcesses.ReadyTimeout);
        await FailoverWaits.ActiveAsync(Fs, victim.SiloAddress);
    }

    [Fact]
    public async Task A_sigtermed_masters_silo_hands_the_master_off_and_is_not_declared_dead()
    {
        var before = await Fs.GetMasterInfoAsync();
        var leaving = fixture.Cluster.SiloAt(before.SiloAddress);
        var survivorLines = LinesFromNow(fixture.Cluster.Silos.Where(s => s.IsRunning && s != leaving).ToList());

        int exitCode = await leaving.StopAsync();
        var after = await FailoverWaits.ForNewMasterAsync(Fs, before);
        await Task.Delay(1000); // a late declaration would come within this

        output.WriteLine($"SIGTERM of {leaving.SiloAddress}: exit {exitCode}, master on {after.SiloAddress} epoch {after.Epoch}");
        // A silo declared dead exits with 75 (SiloExitOnFatalError); a graceful stop with 0.
        Assert.Equal(0, exitCode);
        var takeover = (await Fs.GetTakeoversAsync())[^1];
        Assert.Equal((TakeoverCause.GracefulMove, TimeSpan.Zero), (takeover.Cause, takeover.DetectionDuration));
        Assert.DoesNotContain(survivorLines(), l => l.Contains(FastDeathLine(leaving)));

        await leaving.StartProcessAsync(ClusterProcesses.ReadyTimeout);
        await FailoverWaits.ActiveAsync(Fs, leaving.SiloAddress);
    }

    [Fact]
    public async Task A_paused_masters_silo_is_left_to_the_probes()
    {
        var before = await Fs.GetMasterInfoAsync();
        var paused = fixture.Cluster.SiloAt(before.SiloAddress);
        var survivorLines = LinesFromNow(fixture.Cluster.Silos.Where(s => s.IsRunning && s != paused).ToList());

        ClusterProcesses.Signal(paused, ClusterProcesses.SigStop);
        var after = await FailoverWaits.ForNewMasterAsync(Fs, before);
        ClusterProcesses.Signal(paused, ClusterProcesses.SigCont);
        await FailoverWaits.NotActiveAsync(Fs, paused);

        // Its sockets stayed open and its port accepted: nothing for the fast path, the probes declared it dead.
        Assert.DoesNotContain(survivorLines(), l => l.Contains(FastDeathLine(paused)));
        string line = Assert.Single(fixture.Cluster.SiloAt(after.SiloAddress).ReadLog().Split('\n'), l => l.Contains($"Master takeover: epoch {after.Epoch} "));
        output.WriteLine(line);
        Assert.Contains("(SiloFailed)", line);
        Assert.DoesNotContain("its process exit", line);

        if (paused.IsRunning) paused.Kill();
        await paused.StartProcessAsync(ClusterProcesses.ReadyTimeout);
        await FailoverWaits.ActiveAsync(Fs, paused.SiloAddress);
    }

    /// <summary>Event 1052 naming the silo's address (`S127.0.0.1:port:generation`).</summary>
    private static string FastDeathLine(SiloProcess silo) => $"[1052] Silo S{silo.SiloAddress}:";

    /// <summary>What the survivors log from now on (their logs hold earlier tests' faults of the same addresses too).</summary>
    private static Func<IEnumerable<string>> LinesFromNow(IEnumerable<SiloProcess> survivors)
    {
        var marks = survivors.Select(s => (Silo: s, Length: s.ReadLog().Length)).ToList();
        return () => marks.SelectMany(m => m.Silo.ReadLog() is var log && log.Length >= m.Length ? log[m.Length..].Split('\n') : log.Split('\n'));
    }
}
