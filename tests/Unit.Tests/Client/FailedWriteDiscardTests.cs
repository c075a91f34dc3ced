using OrleansFs.Client.Retry;
using OrleansFs.Client.Streams;
using OrleansFs.Errors;
using OrleansFs.Files;
using Xunit;

namespace OrleansFs.Tests.Client;

/// <summary>
/// A write that fails leaves nothing a reader could take for the file, even when the worker that held its blocks
/// died with them and cannot be asked to drop them: the stream still deletes the file from the namespace.
/// </summary>
public class FailedWriteDiscardTests
{
    private const int Block = 1 << 20;
    private static readonly RetryPipeline Retry = new(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5),
        TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(20));

    private static (FileDataClient Data, FlakyMaster Master, WriteGrainFactory Grains) DataClient()
    {
        var (grain, master) = FlakyMaster.Create(failures: 0);
        var (factory, grains) = WriteGrainFactory.Over(grain);
        return (new FileDataClient(factory, Retry), master, grains);
    }

    [Fact]
    public async Task A_completed_CACHE_THROUGH_file_whose_persist_finds_a_block_lost_is_deleted_though_its_worker_is_gone()
    {
        var (data, master, grains) = DataClient();
        var stream = await data.CreateFileAsync("/f", new CreateFileOptions { WriteType = WriteType.CacheThrough },
            shortCircuit: false, dataEndpoint: false);
        await stream.WriteAsync(new byte[2 * Block + 777]);
        grains.KillWorkers();
        grains.PersistFailure = new FsException(FsErrorCode.FileLost, "/f", "block 1 was held only in the memory of a worker that is gone");
        await stream.WriteAsync(new byte[Block]);

        var error = await Assert.ThrowsAsync<FsException>(async () => await stream.DisposeAsync());

        Assert.Equal(FsErrorCode.FileLost, error.Code);
        Assert.Equal("/f", error.Path);
        var calls = master.Calls.Select(c => c.Method).ToList();
        Assert.Contains("CompleteFile", calls);
        Assert.Equal("Delete", calls.Last());
        Assert.All(grains.Blocks.Values, b => Assert.Contains("Delete", b.Calls));
    }

    [Fact]
    public async Task A_write_interrupted_by_its_workers_death_is_deleted_from_the_namespace_and_the_error_names_it()
    {
        var (data, master, grains) = DataClient();
        var stream = await data.CreateFileAsync("/f", new CreateFileOptions { WriteType = WriteType.MustCache },
            shortCircuit: false, dataEndpoint: false);
        await stream.WriteAsync(new byte[Block]);
        grains.KillWorkers();
        grains.NewBlocksDie = true;

        var error = await Assert.ThrowsAsync<FsException>(async () => await stream.WriteAsync(new byte[Block]));
        await stream.DisposeAsync();

        Assert.Equal(FsErrorCode.Unavailable, error.Code);
        Assert.Equal("/f", error.Path);
        var calls = master.Calls.Select(c => c.Method).ToList();
        Assert.DoesNotContain("CompleteFile", calls);
        Assert.Equal("Delete", calls.Last());
    }
}
