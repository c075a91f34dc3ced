using System.Diagnostics;
using OrleansFs.Client;
using OrleansFs.Files;
using OrleansFs.Master;
using OrleansFs.TestSupport;
using Xunit.Abstractions;

namespace OrleansFs.Tests.Failover;

/// <summary>
/// The master's silo dies or leaves; the master re-activates on a survivor from the shared journal, and the
/// client carries on. Real silo processes, a real ZooKeeper ensemble, real signals.
/// </summary>
[Collection(FailoverCollection.Name)]
public sealed class FailoverTests(FailoverClusterFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan FailoverBudget = TimeSpan.FromSeconds(5);
    private IFileSystem Fs => fixture.Client.FileSystem;

    [Fact]
    public async Task OfsReportShowsEverySilosWarmStandbyAndWhichOneHostsTheMaster()
    {
        await Fs.CreateDirectoryAsync($"/standby-{Guid.NewGuid():N}");
        var running = fixture.Cluster.Silos.Where(s => s.IsRunning).ToList();
        foreach (var silo in running) await silo.WaitStandbyAsync(TimeSpan.FromSeconds(30));
        var master = await Fs.GetMasterInfoAsync();

        var report = OfsAssert.Succeeded(await OfsRunner.RunRawAsync(["--zookeeper", fixture.Cluster.ZooKeeperConnectionString, "report"]));
        output.WriteLine(report.Stdout);
        foreach (var silo in running)
        {
            // Earlier incarnations of a restarted silo keep their Dead rows under the same address.
            string row = Assert.Single(report.StdoutLines, l => l.StartsWith(silo.SiloAddress + " ", StringComparison.Ordinal) && l.Contains(" Active "));
            if (silo.SiloAddress == master.SiloAddress)
                Assert.Contains(" master ", row);
            else
                Assert.Matches(@" warm@[1-9][0-9]* ", row);
        }
    }

    [Fact]
    public async Task SigkillOfTheMastersSiloMovesTheMasterWithinFiveSecondsAndLosesNothing()
    {
        string dir = $"/sigkill-{Guid.NewGuid():N}";
        var written = await WriteNamespaceAsync(dir, files: 40);
        byte[] data = RandomBytes(3 * 1024 * 1024 + 123);
        await WriteFileAsync($"{dir}/data.bin", data, WriteType.CacheThrough);
        foreach (var silo in fixture.Cluster.Silos.Where(s => s.IsRunning)) await silo.WaitStandbyAsync(TimeSpan.FromSeconds(30));

        var before = await Fs.GetMasterInfoAsync();
        var victim = fixture.Cluster.SiloAt(before.SiloAddress);
        victim.Kill();
        var clock = Stopwatch.StartNew();
        var status = await Fs.GetStatusAsync(dir);
        var unavailable = clock.Elapsed;
        output.WriteLine($"SIGKILL of {victim.SiloAddress}: first metadata call succeeded after {unavailable.TotalMilliseconds:F0} ms");

        Assert.True(status.IsDirectory);
        Assert.True(unavailable < FailoverBudget, $"the first call after the kill took {unavailable}");
        var after = await Fs.GetMasterInfoAsync();
        Assert.NotEqual(victim.SiloAddress, after.SiloAddress);
        Assert.True(after.Epoch > before.Epoch, $"epoch {after.Epoch} is not newer than {before.Epoch}");
        var takeover = (await Fs.GetTakeoversAsync())[^1];
        Assert.Equal(after.Epoch, takeover.Epoch);
        Assert.Equal(victim.SiloAddress, takeover.PreviousSiloAddress);
        output.WriteLine($"takeover: epoch {takeover.Epoch} on {takeover.SiloAddress} ({takeover.Cause}), detection {takeover.DetectionDuration}, recovery {takeover.RecoveryDuration}");
        // Detection is part of what the client waited for, so it is positive and shorter than the whole wait.
        Assert.Equal(TakeoverCause.SiloFailed, takeover.Cause);
        Assert.NotNull(takeover.DetectionDuration);
        // From the last time the cluster heard from the silo, so it may start up to a probe period (1 s; 2 s of
        // slack on a loaded machine) before the kill; the part after the first vote is the second figure.
        Assert.InRange(takeover.DetectionDuration.Value, TimeSpan.Zero, unavailable + TimeSpan.FromSeconds(2));
        Assert.NotNull(takeover.DetectionFromFirstVote);
        Assert.InRange(takeover.DetectionFromFirstVote.Value, TimeSpan.Zero, takeover.DetectionDuration.Value);
        // The operator's line carries both figures too.
        string line = Assert.Single(fixture.Cluster.SiloAt(after.SiloAddress).ReadLog().Split('\n'),
            l => l.Contains($"Master takeover: epoch {after.Epoch} "));
        Assert.Matches(@"detection \d+ ms \(from (its process exit|last message from it|its last heartbeat|first suspicion vote); \d+ ms from first suspicion vote\)", line);
        // The survivor's warm standby had the namespace: the new master replayed at most the last few records,
        // not the 40-odd this test wrote (nor the journal since the last checkpoint).
        output.WriteLine($"records replayed: {takeover.RecordsReplayed}");
        Assert.InRange(takeover.RecordsReplayed, 0, 20);

        await AssertNamespaceAsync(dir, written);
        Assert.Equal(data, await ReadFileAsync($"{dir}/data.bin"));

        await victim.StartProcessAsync(ClusterProcesses.ReadyTimeout);
        await WaitActiveAsync(victim.SiloAddress);
    }

    [Fact]
    public async Task SigtermOfTheMastersSiloMovesTheMasterWithNoFailedClientCall()
    {
        string dir = $"/sigterm-{Guid.NewGuid():N}";
        await Fs.CreateDirectoryAsync(dir);
        var before = await Fs.GetMasterInfoAsync();
        var leaving = fixture.Cluster.SiloAt(before.SiloAddress);

        using var stop = new CancellationTokenSource();
        var workload = Task.Run(() => RunWorkloadAsync(dir, stop.Token));
        await Task.Delay(500);
        int exitCode = await leaving.StopAsync();
        var after = await WaitForNewMasterAsync(before);
        await Task.Delay(1000);
        stop.Cancel();
        var (acknowledged, failures, slowest) = await workload;
        foreach (var t in (await Fs.GetTakeoversAsync()).Where(t => t.Epoch > before.Epoch))
            output.WriteLine($"takeover epoch {t.Epoch}: {t.PreviousSiloAddress} -> {t.SiloAddress} ({t.Cause}, detection {t.DetectionDuration})");
        output.WriteLine($"SIGTERM of {leaving.SiloAddress} (exit {exitCode}): master moved to {after.SiloAddress} epoch {after.Epoch}; " +
                         $"{acknowledged.Count} creates acknowledged, slowest call {slowest.TotalMilliseconds:F0} ms");

        Assert.Empty(failures);
        Assert.NotEqual(leaving.SiloAddress, after.SiloAddress);
        // One graceful move is one new activation: exactly one epoch later, still serving after the old silo
        // has exited and the workload went on (a second activation would have taken another epoch by now).
        Assert.Equal(before.Epoch + 1, after.Epoch);
        var final = await Fs.GetMasterInfoAsync();
        Assert.Equal((before.Epoch + 1, after.SiloAddress), (final.Epoch, final.SiloAddress));
        var takeover = Assert.Single((await Fs.GetTakeoversAsync()).Where(t => t.Epoch > before.Epoch));
        Assert.Equal(before.Epoch + 1, takeover.Epoch);
        Assert.Equal(leaving.SiloAddress, takeover.PreviousSiloAddress);
        Assert.Equal(after.SiloAddress, takeover.SiloAddress);
        Assert.Equal(TakeoverCause.GracefulMove, takeover.Cause);
        Assert.Equal(TimeSpan.Zero, takeover.DetectionDuration);
        var listed = (await Fs.ListStatusAsync(dir)).Select(s => s.Path).ToHashSet();
        Assert.Subset(listed, acknowledged.ToHashSet());

        await leaving.StartProcessAsync(ClusterProcesses.ReadyTimeout);
        await WaitActiveAsync(leaving.SiloAddress);
    }

    [Fact]
    public async Task SigtermOfAnyOtherSiloLeavesTheMasterWhereItIsAtTheSameEpoch()
    {
        string dir = $"/other-{Guid.NewGuid():N}";
        await Fs.CreateDirectoryAsync(dir);
        var before = await Fs.GetMasterInfoAsync();
        // Each other silo in turn: one of them may hold the master's directory registration, and its leaving must
        // not deactivate the master (Orleans' default directory did, and the next call took a new epoch).
        foreach (var other in fixture.Cluster.Silos.Where(s => s.SiloAddress != before.SiloAddress).ToList())
        {
            await other.StopAsync();
            await Fs.CreateDirectoryAsync($"{dir}/after-{other.SiloPort}");
            var now = await Fs.GetMasterInfoAsync();
            output.WriteLine($"SIGTERM of {other.SiloAddress}: master on {now.SiloAddress} at epoch {now.Epoch}");
            Assert.Equal((before.SiloAddress, before.Epoch), (now.SiloAddress, now.Epoch));

            await other.StartProcessAsync(ClusterProcesses.ReadyTimeout);
            await WaitActiveAsync(other.SiloAddress);
        }
        Assert.DoesNotContain(await Fs.GetTakeoversAsync(), t => t.Epoch > before.Epoch);
    }

    [Fact]
    public async Task APausedMasterIsReplacedAndAfterSigcontItNeitherAppendsNorAcknowledges()
    {
        string dir = $"/sigstop-{Guid.NewGuid():N}";
        await Fs.CreateDirectoryAsync(dir);
        var before = await Fs.GetMasterInfoAsync();
        var paused = fixture.Cluster.SiloAt(before.SiloAddress);

        // Creates in flight while the master's silo is paused: the old activation may still hold them at SIGCONT.
        ClusterProcesses.Signal(paused, ClusterProcesses.SigStop);
        var clock = Stopwatch.StartNew();
        var inFlight = Enumerable.Range(0, 20).Select(i => Fs.CreateDirectoryAsync($"{dir}/d{i:D2}")).ToList();
        var after = await WaitForNewMasterAsync(before);
        output.WriteLine($"SIGSTOP of {paused.SiloAddress}: new master {after.SiloAddress} epoch {after.Epoch} after {clock.ElapsedMilliseconds} ms");
        await Task.WhenAll(inFlight);

        ClusterProcesses.Signal(paused, ClusterProcesses.SigCont);
        // The old activation wakes with its queue; give it time to try, and the silo time to learn it is dead.
        await WaitNotActiveAsync(paused);
        var final = await Fs.GetMasterInfoAsync();
        Assert.Equal(after.Epoch, final.Epoch);
        Assert.Equal(after.SiloAddress, final.SiloAddress);
        var children = (await Fs.ListStatusAsync(dir)).Select(s => s.Path).ToList();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"{dir}/d{i:D2}"), children.Order(StringComparer.Ordinal));
        // Epochs only grow through the journal: after the new epoch's first record, no record of the old one.
        await AssertNoStaleEpochRecordsAsync(before.Epoch, after.Epoch);

        if (paused.IsRunning) paused.Kill();
        await paused.StartProcessAsync(ClusterProcesses.ReadyTimeout);
        await WaitActiveAsync(paused.SiloAddress);
    }

    private async Task<(List<string> Acknowledged, List<string> Failures, TimeSpan Slowest)> RunWorkloadAsync(string dir, CancellationToken stop)
    {
        var acknowledged = new List<string>();
        var failures = new List<string>();
        var slowest = TimeSpan.Zero;
        for (int i = 0; !stop.IsCancellationRequested; i++)
        {
            string path = $"{dir}/w{i:D5}";
            var clock = Stopwatch.StartNew();
            try
            {
                await Fs.CreateDirectoryAsync(path);
                acknowledged.Add(path);
                await Fs.GetStatusAsync(path);
            }
            catch (Exception e)
            {
                failures.Add($"{path}: {e.GetType().Name}: {e.Message}");
            }
            if (clock.Elapsed > slowest) slowest = clock.Elapsed;
        }
        return (acknowledged, failures, slowest);
    }

    private Task<OrleansFs.Master.MasterInfo> WaitForNewMasterAsync(OrleansFs.Master.MasterInfo before) => FailoverWaits.ForNewMasterAsync(Fs, before);

    private Task WaitNotActiveAsync(SiloProcess silo) => FailoverWaits.NotActiveAsync(Fs, silo);

    /// <summary>Reads every log segment of the shared journal in sequence order, checking epochs never go back.</summary>
    private Task AssertNoStaleEpochRecordsAsync(long oldEpoch, long newEpoch)
    {
        var records = JournalSegments.ReadRecords(fixture.Cluster.JournalDirectory);
        long firstOfNew = records.Where(r => r.Epoch == newEpoch).Select(r => r.Sequence).DefaultIfEmpty(long.MaxValue).Min();
        var stale = records.Where(r => r.Epoch == oldEpoch && r.Sequence >= firstOfNew).ToList();
        output.WriteLine($"journal: {records.Count} records, epoch {newEpoch} starts at sequence {firstOfNew}, {stale.Count} records of epoch {oldEpoch} at or after it");
        Assert.Empty(stale);
        return Task.CompletedTask;
    }

    private async Task<HashSet<string>> WriteNamespaceAsync(string dir, int files)
    {
        await Fs.CreateDirectoryAsync(dir);
        var paths = new HashSet<string>();
        for (int i = 0; i < files; i++)
        {
            string path = $"{dir}/f{i:D3}";
            await Fs.CreateFileEntryAsync(path);
            await Fs.CompleteFileAsync(path, 0);
            paths.Add(path);
        }
        return paths;
    }

    private async Task AssertNamespaceAsync(string dir, HashSet<string> expected)
    {
        var listed = (await Fs.ListStatusAsync(dir)).Where(s => !s.IsDirectory && s.Path != $"{dir}/data.bin").Select(s => s.Path).ToHashSet();
        Assert.Equal(expected.OrderBy(p => p, StringComparer.Ordinal), listed.OrderBy(p => p, StringComparer.Ordinal));
    }

    private async Task WriteFileAsync(string path, byte[] data, WriteType writeType)
    {
        await using var stream = await fixture.Client.Data.CreateFileAsync(path, new CreateFileOptions
        {
            WriteType = writeType,
            BlockSizeBytes = 1024 * 1024,
        });
        await stream.WriteAsync(data);
    }

    private async Task<byte[]> ReadFileAsync(string path)
    {
        await using var stream = await fixture.Client.Data.OpenFileAsync(path);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>The restarted silo's new incarnation shows as Active in the membership table.</summary>
    private async Task WaitActiveAsync(string siloAddress)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var members = await Fs.GetClusterMembersAsync();
            if (members.Any(m => m.Address == siloAddress && m.Status == "Active")) return;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"{siloAddress} did not rejoin: {string.Join(", ", members.Select(m => $"{m.Address} {m.Status}"))}");
            await Task.Delay(250);
        }
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }
}
