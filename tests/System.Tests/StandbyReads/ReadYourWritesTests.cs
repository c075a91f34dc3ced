using OrleansFs.Client;
using OrleansFs.Files;
using OrleansFs.Master;
using OrleansFs.Metrics;
using OrleansFs.TestSupport;
using Xunit.Abstractions;

namespace OrleansFs.Tests.StandbyReads;

/// <summary>
/// Reads served by the warm standby of the client's gateway silo never show a client less than it has already
/// seen: a standby behind the client waits for it or sends the read on to the master. Real silo processes whose
/// standbys are held back by the Master:StandbyHoldBack hook.
/// </summary>
[Collection(StandbyReadsCollection.Name)]
public sealed class ReadYourWritesTests(StandbyReadsClusterFixture fixture, ITestOutputHelper output)
{
    private async Task<(SiloProcess Writer, SiloProcess Reader)> TwoGatewaysAwayFromTheMasterAsync(IFileSystem fs)
    {
        var master = fixture.Cluster.SiloAt((await fs.GetMasterInfoAsync()).SiloAddress);
        var others = fixture.Cluster.Silos.Where(s => s.IsRunning && s != master).ToList();
        foreach (var silo in others) await silo.WaitStandbyAsync(TimeSpan.FromSeconds(60));
        return (others[0], others[1]);
    }

    [Fact]
    public async Task A_write_through_one_gateway_is_read_through_another_whose_standby_is_held_back()
    {
        await using var any = await fixture.ConnectAsync();
        var (writerSilo, readerSilo) = await TwoGatewaysAwayFromTheMasterAsync(any.FileSystem);
        await using var writer = await StandbyReadsClusterFixture.ConnectThroughAsync(writerSilo);
        await using var reader = await StandbyReadsClusterFixture.ConnectThroughAsync(readerSilo);
        string dir = $"/ryw-{Guid.NewGuid():N}";
        await writer.FileSystem.CreateDirectoryAsync(dir);
        // An old enough state: the held-back standby itself answers a client that has seen nothing newer.
        await Task.Delay(TimeSpan.FromSeconds(2));
        double servedBefore = await StandbyReadsClusterFixture.StandbyReadsAsync(readerSilo, MetricNames.StandbyReads.Served);
        Assert.True((await reader.FileSystem.GetStatusAsync(dir)).IsDirectory);
        Assert.True(await StandbyReadsClusterFixture.StandbyReadsAsync(readerSilo, MetricNames.StandbyReads.Served) > servedBefore,
            "the reader's gateway standby did not answer a read it was recent enough for");

        for (int i = 0; i < 20; i++)
        {
            string path = $"{dir}/f{i}";
            var created = await writer.FileSystem.CreateFileEntryAsync(path);
            // The writer's position goes with it to the other gateway (as an application hands it on, like HDFS's msync).
            reader.Reads.Observe(writer.Reads.Seen);
            var status = await reader.FileSystem.GetStatusAsync(path);
            Assert.Equal(created.InodeId, status.InodeId);
            Assert.True(status.Journal >= created.Journal, $"read at {status.Journal}, older than the write at {created.Journal}");

            await writer.FileSystem.DeleteAsync(path);
            reader.Reads.Observe(writer.Reads.Seen);
            Assert.False(await reader.FileSystem.ExistsAsync(path), $"{path} still exists for the reader after its delete");
            Assert.DoesNotContain(await reader.FileSystem.ListStatusAsync(dir), s => s.Path == path);
        }
        double forwarded = await StandbyReadsClusterFixture.StandbyReadsAsync(readerSilo, MetricNames.StandbyReads.Forwarded);
        double waited = await StandbyReadsClusterFixture.StandbyReadsAsync(readerSilo, MetricNames.StandbyReads.Waited);
        output.WriteLine($"reader's standby on {readerSilo.SiloAddress}: {waited} waited, {forwarded} forwarded");
        Assert.True(forwarded + waited >= 20, "the held-back standby never saw a client ahead of it");
    }

    [Fact]
    public async Task One_client_reads_its_own_writes_through_a_held_back_standby_and_a_master_read_goes_to_the_master()
    {
        await using var any = await fixture.ConnectAsync();
        var (_, readerSilo) = await TwoGatewaysAwayFromTheMasterAsync(any.FileSystem);
        await using var client = await StandbyReadsClusterFixture.ConnectThroughAsync(readerSilo);
        var fs = client.FileSystem;
        string path = $"/own-{Guid.NewGuid():N}";
        var created = await fs.CreateFileEntryAsync(path);
        Assert.False((await fs.GetStatusAsync(path)).Completed);
        var completed = await fs.CompleteFileAsync(path, 0);
        Assert.True(completed.Journal > created.Journal);
        var status = await fs.GetStatusAsync(path);
        Assert.True(status.Completed, "the client read its file as it was before its own complete");

        await fs.RenameAsync(path, path + ".moved");
        Assert.False(await fs.ExistsAsync(path));
        Assert.True(await fs.ExistsAsync(path + ".moved"));

        double forwarded = await StandbyReadsClusterFixture.StandbyReadsAsync(readerSilo, MetricNames.StandbyReads.Forwarded);
        double served = await StandbyReadsClusterFixture.StandbyReadsAsync(readerSilo, MetricNames.StandbyReads.Served);
        using (MetadataReadsScope())
            Assert.True((await fs.GetStatusAsync(path + ".moved")).Completed);
        // A master read never reaches the standby: neither counter moves.
        Assert.Equal(forwarded, await StandbyReadsClusterFixture.StandbyReadsAsync(readerSilo, MetricNames.StandbyReads.Forwarded));
        Assert.Equal(served, await StandbyReadsClusterFixture.StandbyReadsAsync(readerSilo, MetricNames.StandbyReads.Served));
    }

    private static IDisposable MetadataReadsScope() => OrleansFs.Client.FileSystem.MetadataReads.FromMaster();
}
