using OrleansFs.Client;
using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Lineage;
using OrleansFs.TestSupport;
using Xunit.Abstractions;

namespace OrleansFs.Tests.Lineage;

/// <summary>
/// Lineage records are journaled and checkpointed like the namespace: real silo processes on real ZooKeeper, and the
/// master's silo killed with SIGKILL.
/// </summary>
public sealed class LineageFailoverTests(LineageFailoverTests.Fixture fixture, ITestOutputHelper output)
    : IClassFixture<LineageFailoverTests.Fixture>
{
    private IFileSystem Fs => fixture.Client.FileSystem;

    [Fact]
    public async Task Lineage_records_survive_a_SIGKILL_of_the_masters_silo()
    {
        string dir = $"/lineage-{Guid.NewGuid():N}";
        await using (var input = await fixture.Client.Data.CreateFileAsync(dir + "/input", new CreateFileOptions { WriteType = WriteType.CacheThrough }))
            await input.WriteAsync("hello lineage"u8.ToArray());
        var job = await AllowedJobAsync(dir);
        long first = await Fs.CreateLineageAsync([dir + "/input"], [dir + "/mid"], job);
        // The application writes the output the lineage created (a plain create opens it).
        await using (var mid = await fixture.Client.Data.CreateFileAsync(dir + "/mid", new CreateFileOptions { WriteType = WriteType.MustCache }))
            await mid.WriteAsync("HELLO LINEAGE"u8.ToArray());
        long second = await Fs.CreateLineageAsync([dir + "/mid"], [dir + "/out/a", dir + "/out/b"], job, run: false);
        long deleted = await Fs.CreateLineageAsync([dir + "/input"], [dir + "/scrap"], job);
        await Fs.DeleteLineageAsync(deleted);
        LineageInfo[] expected = [await Fs.GetLineageAsync(first), await Fs.GetLineageAsync(second)];
        foreach (var silo in fixture.Cluster.Silos.Where(s => s.IsRunning)) await silo.WaitStandbyAsync(TimeSpan.FromSeconds(30));

        var before = await Fs.GetMasterInfoAsync();
        var victim = fixture.Cluster.SiloAt(before.SiloAddress);
        victim.Kill();
        var after = await Fs.GetMasterInfoAsync();
        output.WriteLine($"SIGKILL of {victim.SiloAddress}: master moved to {after.SiloAddress}, epoch {before.Epoch} -> {after.Epoch}");

        Assert.NotEqual(before.SiloAddress, after.SiloAddress);
        var listed = (await Fs.ListLineagesAsync()).Where(l => l.Id == first || l.Id == second).ToArray();
        Assert.Equivalent(expected, listed, strict: true);
        Assert.DoesNotContain(await Fs.ListLineagesAsync(), l => l.Id == deleted);
        Assert.Equal([first], (await Fs.GetLineageAsync(second)).Parents);
        Assert.Equal(first, (await Fs.GetStatusAsync(dir + "/mid")).LineageId);
        Assert.Equal(second, (await Fs.GetLineageOfFileAsync(dir + "/out/b"))!.Id);
        Assert.Null((await Fs.GetStatusAsync(dir + "/scrap")).LineageId);
        Assert.Equal(FsErrorCode.NotFound, (await Assert.ThrowsAsync<FsException>(() => Fs.GetLineageAsync(deleted))).Code);
        // The new master goes on from the recovered table: ids are not reused, outputs stay bound.
        long third = await Fs.CreateLineageAsync([dir + "/mid"], [dir + "/later"], job);
        Assert.True(third > deleted);
        var refused = await Assert.ThrowsAsync<FsException>(() => Fs.CreateLineageAsync([dir + "/out/a"], [dir + "/mid"], job));
        Assert.Contains("cycle", refused.Message);

        await victim.StartProcessAsync(ClusterProcesses.ReadyTimeout);
    }

    /// <summary>
    /// A job this cluster accepts: the allowed `/bin/true` where command-line jobs can be allowed, else an in-process
    /// job name (the master without a job runner accepts any). Either way the job is only recorded here, never run.
    /// </summary>
    private async Task<LineageJob> AllowedJobAsync(string dir)
    {
        var commandLine = LineageJob.CommandLine(Fixture.AllowedProgram, "--unused");
        try
        {
            await Fs.CreateLineageAsync([dir + "/input"], [dir + "/probe"], commandLine);
            return commandLine;
        }
        catch (FsException e) when (e.Code == FsErrorCode.InvalidArgument)
        {
            output.WriteLine($"command-line job refused ({e.Reason}); recording an in-process job instead");
            return LineageJob.InProcess("OrleansFs.Tests.Lineage.RecordedOnly");
        }
    }

    /// <summary>Three silos on one ZooKeeper server, allowed to run `/bin/true` as a lineage job.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public const string AllowedProgram = "/bin/true";

        public ClusterProcesses Cluster { get; private set; } = null!;
        public OrleansFsConnection Client { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Cluster = await ClusterProcesses.StartAsync(silos: 3, zooKeeperMembers: 1,
                extraSiloArguments: [$"--Lineage:CommandJobs:Allowed:0={AllowedProgram}"]);
            Client = await OrleansFsClient.ConnectAsync(new OrleansFsClientOptions
            {
                ZooKeeperConnectionString = Cluster.ZooKeeperConnectionString,
                ConnectTimeout = TimeSpan.FromSeconds(30),
            });
        }

        public async Task DisposeAsync()
        {
            if (Client is not null) await Client.DisposeAsync();
            if (Cluster is not null) await Cluster.DisposeAsync();
        }
    }
}
