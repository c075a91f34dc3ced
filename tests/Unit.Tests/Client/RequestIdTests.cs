using OrleansFs.Client.FileSystem;
using OrleansFs.Client.Retry;
using OrleansFs.Client.Streams;
using OrleansFs.Files;
using Xunit;

namespace OrleansFs.Tests.Client;

/// <summary>
/// A mutation retried after a failure must carry the request id of its first attempt, or the master would apply
/// it twice (or refuse the repeat). Each case fails its first two attempts as a dead silo would.
/// </summary>
public class RequestIdTests
{
    private static readonly RetryPipeline Retry = new(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5),
        TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(20));

    private static (FileDataClient Data, FlakyMaster Master) DataClient(int failures)
    {
        var (grain, master) = FlakyMaster.Create(failures);
        return (new FileDataClient(MasterOnlyGrainFactory.Over(grain), Retry), master);
    }

    [Fact]
    public async Task SetTtl_retries_with_one_request_id()
    {
        var (data, master) = DataClient(failures: 2);
        await data.SetTtlAsync("/f", 60_000, TtlAction.Delete);
        AssertOneId(master, "SetAttribute", attempts: 3);
    }

    [Fact]
    public async Task Pin_retries_with_one_request_id()
    {
        var (data, master) = DataClient(failures: 2);
        await data.SetPinnedAsync("/f", true);
        AssertOneId(master, "SetAttribute", attempts: 3);
    }

    [Fact]
    public async Task Creating_a_file_retries_with_one_request_id()
    {
        var (data, master) = DataClient(failures: 2);
        await using var stream = await data.CreateFileAsync("/f", new CreateFileOptions { WriteType = WriteType.MustCache });
        AssertOneId(master, "CreateFile", attempts: 3);
    }

    [Fact]
    public async Task Completing_a_written_file_retries_with_one_request_id()
    {
        var (data, master) = DataClient(failures: 0);
        var stream = await data.CreateFileAsync("/f", new CreateFileOptions { WriteType = WriteType.MustCache });
        master.Failures = master.Calls.Count + 2;
        await stream.DisposeAsync();
        AssertOneId(master, "CompleteFile", attempts: 3);
        Assert.DoesNotContain(master.Calls, c => c.Method == "Delete");
    }

    [Fact]
    public async Task OrleansFileSystem_mutations_retry_with_one_request_id()
    {
        var (grain, master) = FlakyMaster.Create(failures: 2);
        var fs = new OrleansFileSystem(MasterOnlyGrainFactory.Over(grain), Retry);
        await fs.CompleteFileAsync("/f", 10);
        AssertOneId(master, "CompleteFile", attempts: 3);
    }

    private static void AssertOneId(FlakyMaster master, string method, int attempts)
    {
        var calls = master.Calls.Where(c => c.Method == method).ToList();
        Assert.Equal(attempts, calls.Count);
        Assert.Single(calls.Select(c => c.RequestId).Distinct());
        Assert.NotEqual(Guid.Empty, calls[0].RequestId);
    }
}
