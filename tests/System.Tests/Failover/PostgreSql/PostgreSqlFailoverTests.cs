using System.Diagnostics;
using OrleansFs.Client;
using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.TestSupport;
using OrleansFs.TestSupport.Chaos;
using Xunit.Abstractions;

namespace OrleansFs.Tests.Failover;

/// <summary>
/// The failover guarantees of <see cref="FailoverTests"/> and <see cref="ChaosTests"/> with the journal in PostgreSQL:
/// real silo processes, a real ZooKeeper ensemble for membership, a real PostgreSQL 15 holding the log and its fence.
/// </summary>
[Collection(PostgreSqlFailoverCollection.Name)]
public sealed class PostgreSqlFailoverTests(PostgreSqlFailoverClusterFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan ResumeBudget = TimeSpan.FromSeconds(60);
    private IFileSystem Fs => fixture.Client.FileSystem;

    [Fact]
    public async Task SigkillsOfTheMastersSiloDuringTheChaosWorkloadLoseNothingAcknowledgedAndTheDumpShowsTheNewEpoch()
    {
        var before = await Fs.GetMasterInfoAsync();
        // Kills 1 and 3 are the master's silo (ChaosFaults alternates), kill 2 also takes a ZooKeeper member.
        await ChaosRun.RunAndCheckAsync(fixture.Cluster, fixture.Client, $"/pg-chaos-{Guid.NewGuid():N}",
            workers: 4, kills: 3, betweenKills: TimeSpan.FromSeconds(6), output.WriteLine);

        var after = await Fs.GetMasterInfoAsync();
        Assert.True(after.Epoch > before.Epoch, $"epoch {after.Epoch} is not newer than {before.Epoch}");
        var dump = OfsAssert.Succeeded(await OfsRunner.RunRawAsync(["journal", "dump", "--postgres", fixture.JournalConnectionString]));
        Assert.Contains(dump.StdoutLines, l => l.StartsWith($"epoch {after.Epoch}: ", StringComparison.Ordinal));
        // The records table carries the new epoch too: the master wrote through it, not only took it.
        Assert.Contains(dump.StdoutLines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, var epoch, ..] && epoch == after.Epoch.ToString());
    }

    [Fact]
    public async Task APausedMasterIsFencedAndAfterSigcontTheJournalTableHasNoRecordOfItsEpoch()
    {
        string dir = $"/pg-sigstop-{Guid.NewGuid():N}";
        await Fs.CreateDirectoryAsync(dir);
        var before = await Fs.GetMasterInfoAsync();
        var paused = fixture.Cluster.SiloAt(before.SiloAddress);

        ClusterProcesses.Signal(paused, ClusterProcesses.SigStop);
        var clock = Stopwatch.StartNew();
        // Creates in flight while the master's silo is paused: the old activation may still hold them at SIGCONT.
        var inFlight = Enumerable.Range(0, 20).Select(i => Fs.CreateDirectoryAsync($"{dir}/d{i:D2}")).ToList();
        var after = await FailoverWaits.ForNewMasterAsync(Fs, before);
        output.WriteLine($"SIGSTOP of {paused.SiloAddress}: new master {after.SiloAddress} epoch {after.Epoch} after {clock.ElapsedMilliseconds} ms");
        await Task.WhenAll(inFlight);

        ClusterProcesses.Signal(paused, ClusterProcesses.SigCont);
        await FailoverWaits.NotActiveAsync(Fs, paused);
        // The paused silo never serves again; the master may have moved on since (a lease lapsed under load steps it
        // down, and it comes back under a newer epoch), but never back to an older epoch.
        var final = await Fs.GetMasterInfoAsync();
        Assert.NotEqual(paused.SiloAddress, final.SiloAddress);
        Assert.True(final.Epoch >= after.Epoch, $"the master went from epoch {after.Epoch} back to {final.Epoch}");
        // Every acknowledged create is there, read through the new master, which knows only what the table holds.
        var children = (await Fs.ListStatusAsync(dir)).Select(s => s.Path).ToList();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"{dir}/d{i:D2}"), children.Order(StringComparer.Ordinal));

        var seals = await PostgreSqlJournalTables.EpochSealsAsync(fixture.JournalConnectionString);
        long seal = seals[after.Epoch] ?? throw new Xunit.Sdk.XunitException($"epoch {after.Epoch} has no seal in ofs_journal_epochs");
        long stale = await PostgreSqlJournalTables.CountRecordsAsync(fixture.JournalConnectionString, before.Epoch, seal);
        output.WriteLine($"ofs_journal_epochs: epoch {after.Epoch} sealed at {seal}; {stale} records of epoch {before.Epoch} after it");
        Assert.Equal(0, stale);

        if (paused.IsRunning) paused.Kill();
        await paused.StartProcessAsync(ClusterProcesses.ReadyTimeout);
        await FailoverWaits.ActiveAsync(Fs, paused.SiloAddress);
    }

    [Fact]
    public async Task WhilePostgreSqlRestartsClientsGetUnavailableAndServiceResumesByItselfLosingNothing()
    {
        string dir = $"/pg-restart-{Guid.NewGuid():N}";
        await Fs.CreateDirectoryAsync(dir);
        using var stop = new CancellationTokenSource();
        var workload = Task.Run(() => CreateLoopAsync(dir, stop.Token));
        await Task.Delay(2000);

        await fixture.PostgreSql.StopServerAsync();
        output.WriteLine("PostgreSQL stopped (pg_ctl stop -m fast)");
        // Long enough for calls to give up (the client's call timeout is 30 s) while it is down.
        var down = Stopwatch.StartNew();
        FsException? seenWhileDown = null;
        try
        {
            while (down.Elapsed < TimeSpan.FromSeconds(40) && seenWhileDown is null)
            {
                try
                {
                    await Fs.CreateDirectoryAsync($"{dir}/probe-{down.ElapsedMilliseconds}");
                }
                catch (FsException e)
                {
                    seenWhileDown = e;
                }
            }
        }
        finally
        {
            // Whatever went wrong, the next tests of this collection need their PostgreSQL back.
            await fixture.PostgreSql.StartServerAsync();
        }
        output.WriteLine($"PostgreSQL started again after {down.Elapsed.TotalSeconds:F1} s");
        Assert.NotNull(seenWhileDown);
        output.WriteLine($"while down: {seenWhileDown.Code}: {seenWhileDown.Message}");
        Assert.Equal(FsErrorCode.Unavailable, seenWhileDown.Code);
        // A message a user can act on: it names PostgreSQL, not an internal error.
        Assert.Contains("PostgreSQL", seenWhileDown.Message);

        var resumed = Stopwatch.StartNew();
        await FailoverWaits.UntilAsync(async () =>
        {
            try
            {
                await Fs.CreateDirectoryAsync($"{dir}/after-{resumed.ElapsedTicks}");
                return true;
            }
            catch (FsException e) when (e.Code == FsErrorCode.Unavailable)
            {
                return false;
            }
        }, ResumeBudget, "service did not resume after PostgreSQL came back");
        output.WriteLine($"first create after the restart succeeded {resumed.ElapsedMilliseconds} ms after PostgreSQL was up");
        await Task.Delay(1000);
        stop.Cancel();
        var (acknowledged, failures) = await workload;
        Assert.NotEmpty(acknowledged);
        output.WriteLine($"{acknowledged.Count} creates acknowledged, {failures.Count} failed");
        foreach (var failure in failures.Take(5)) output.WriteLine(failure.Message);

        Assert.All(failures, f => Assert.Equal(FsErrorCode.Unavailable, f.Code));
        Assert.All(failures, f => Assert.Contains("PostgreSQL", f.Message));
        var listed = (await Fs.ListStatusAsync(dir)).Select(s => s.Path).ToHashSet();
        Assert.Subset(listed, acknowledged.ToHashSet());
    }

    private async Task<(List<string> Acknowledged, List<FsException> Failures)> CreateLoopAsync(string dir, CancellationToken stop)
    {
        var acknowledged = new List<string>();
        var failures = new List<FsException>();
        for (int i = 0; !stop.IsCancellationRequested; i++)
        {
            string path = $"{dir}/w{i:D5}";
            try
            {
                await Fs.CreateDirectoryAsync(path);
                acknowledged.Add(path);
            }
            catch (FsException e)
            {
                failures.Add(e);
            }
        }
        return (acknowledged, failures);
    }
}
