using OrleansFs.Client.FileSystem;
using OrleansFs.Client.Retry;
using OrleansFs.Errors;
using OrleansFs.Lineage;
using OrleansFs.Tests.Client;

namespace OrleansFs.Tests.Lineage;

/// <summary>The client's lineage mutations go through the retry pipeline with one request id for all their attempts.</summary>
public sealed class LineageClientRetryTests
{
    private static readonly RetryPipeline Retry = new(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5),
        TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(20));

    private static (OrleansFileSystem Fs, FlakyMaster Master) Client(int failures)
    {
        var (fs, master, _) = ClientWithReads(failures);
        return (fs, master);
    }

    private static (OrleansFileSystem Fs, FlakyMaster Master, MetadataReads Reads) ClientWithReads(int failures)
    {
        var (grain, master) = FlakyMaster.Create(failures);
        var factory = MasterOnlyGrainFactory.Over(grain);
        return (new OrleansFileSystem(factory, Retry), master, MetadataReads.For(factory));
    }

    [Fact]
    public async Task Creating_a_lineage_moves_the_clients_read_position_to_the_masters_so_it_reads_the_outputs_back()
    {
        var (fs, master, reads) = ClientWithReads(failures: 0);

        await fs.CreateLineageAsync(["/in"], ["/out"], LineageJob.InProcess("Jobs.Upper"));

        Assert.Equal(new OrleansFs.Master.JournalPosition(1, 1), reads.Seen);
        Assert.Equal(["CreateLineage", "GetInfo"], master.Calls.Select(c => c.Method));
    }

    [Fact]
    public async Task Create_lineage_retries_with_one_request_id_and_returns_the_id()
    {
        var (fs, master) = Client(failures: 2);

        long id = await fs.CreateLineageAsync(["/in"], ["/out/"], LineageJob.InProcess("Jobs.Upper"));

        Assert.Equal(7, id);
        AssertOneId(master, nameof(OrleansFs.Master.IMasterGrain.CreateLineage), attempts: 3);
    }

    [Fact]
    public async Task Delete_lineage_retries_with_one_request_id()
    {
        var (fs, master) = Client(failures: 2);

        await fs.DeleteLineageAsync(3, cascade: true);

        AssertOneId(master, nameof(OrleansFs.Master.IMasterGrain.DeleteLineage), attempts: 3);
    }

    [Fact]
    public async Task Bad_paths_or_no_output_are_refused_before_anything_is_sent()
    {
        var (fs, master) = Client(failures: 0);

        var path = await Assert.ThrowsAsync<FsException>(() => fs.CreateLineageAsync(["in"], ["/out"], LineageJob.InProcess("J")));
        var none = await Assert.ThrowsAsync<FsException>(() => fs.CreateLineageAsync(["/in"], [], LineageJob.InProcess("J")));

        Assert.Equal(FsErrorCode.InvalidPath, path.Code);
        Assert.Equal("InvalidArgument: a lineage needs at least one output", none.Message);
        Assert.Empty(master.Calls);
    }

    private static void AssertOneId(FlakyMaster master, string method, int attempts)
    {
        var calls = master.Calls.Where(c => c.Method == method).ToList();
        Assert.Equal(attempts, calls.Count);
        Assert.Single(calls.Select(c => c.RequestId).Distinct());
        Assert.NotEqual(Guid.Empty, calls[0].RequestId);
    }
}
