using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrleansFs.Grains.UnderStorage;
using OrleansFs.Paths;
using OrleansFs.TestSupport;

namespace OrleansFs.Tests.UnderStorage;

public sealed class UnderStorageIoSchedulerTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _temp = new("ofs-ufs-io");
    private readonly ManualResetEventSlim _release = new();

    public void Dispose()
    {
        _release.Set();
        _temp.Dispose();
    }

    /// <summary>Occupies every thread of the scheduler, as calls hanging on a dead mount would.</summary>
    private async Task<Task[]> HangAllAsync(UnderStorageIoScheduler io)
    {
        int started = 0;
        var hung = Enumerable.Range(0, io.MaximumConcurrencyLevel)
            .Select(_ => io.Run(() => { Interlocked.Increment(ref started); _release.Wait(Limit); }, CancellationToken.None))
            .ToArray();
        while (Volatile.Read(ref started) < hung.Length) await Task.Delay(10);
        return hung;
    }

    [Fact]
    public async Task Work_runs_on_the_under_storage_threads_and_the_caller_continues_off_them()
    {
        var io = new UnderStorageIoScheduler(2);

        string? ranOn = await io.Run(() => Thread.CurrentThread.Name, CancellationToken.None);

        Assert.Equal("ofs-under-storage-io", ranOn);
        Assert.NotEqual("ofs-under-storage-io", Thread.CurrentThread.Name);
    }

    [Fact]
    public async Task A_hung_mount_holds_at_most_the_schedulers_threads_and_further_calls_wait_in_its_queue()
    {
        var io = new UnderStorageIoScheduler(2);
        var hung = await HangAllAsync(io);

        var queued = io.Run(() => 42, CancellationToken.None);
        await Task.Delay(100);

        Assert.False(queued.IsCompleted);
        _release.Set();
        Assert.Equal(42, await queued.WaitAsync(Limit));
        await Task.WhenAll(hung).WaitAsync(Limit);
    }

    [Fact]
    public async Task Calls_keep_running_on_the_threads_left_while_others_hang()
    {
        var io = new UnderStorageIoScheduler(4);
        var hung = Enumerable.Range(0, 3).Select(_ => io.Run(() => _release.Wait(Limit), CancellationToken.None)).ToArray();

        for (int round = 0; round < 200; round++)
        {
            var burst = Enumerable.Range(0, 8).Select(i => io.Run(() => i, CancellationToken.None)).ToArray();
            Assert.Equal(Enumerable.Range(0, 8), await Task.WhenAll(burst).WaitAsync(Limit));
        }
        Assert.All(hung, call => Assert.False(call.IsCompleted));
        _release.Set();
        await Task.WhenAll(hung).WaitAsync(Limit);
    }

    [Fact]
    public async Task The_directory_under_storage_does_its_file_system_calls_on_its_io_threads_only()
    {
        var io = new UnderStorageIoScheduler(1);
        var ufs = new DirectoryUnderStorage(Options.Create(new UnderStorageOptions { Directory = _temp.Combine("ufs") }),
            NullLogger<DirectoryUnderStorage>.Instance, io);
        File.WriteAllText(Path.Join(ufs.Root, "f"), "x");
        var hung = await HangAllAsync(io);

        // Had any of these touched the disk on the caller's thread, it would have completed (or failed) already.
        var calls = new Task[]
        {
            ufs.GetEntryAsync(FsPath.Parse("/f")), ufs.ListAsync(FsPath.Root), ufs.OpenReadAsync(FsPath.Parse("/f"), 0),
            ufs.CreateAsync(FsPath.Parse("/g")), ufs.CreateDirectoryAsync(FsPath.Parse("/d")),
            ufs.RenameAsync(FsPath.Parse("/f"), FsPath.Parse("/h")), ufs.DeleteAsync(FsPath.Parse("/nothing")),
        };
        await Task.Delay(100);

        Assert.All(calls, call => Assert.False(call.IsCompleted));
        _release.Set();
        await Task.WhenAll(calls).WaitAsync(Limit);
        await Task.WhenAll(hung).WaitAsync(Limit);
        await (await (Task<Stream>)calls[2]).DisposeAsync();
        await (await (Task<IUnderStorageWriter>)calls[3]).DisposeAsync();
        Assert.True(File.Exists(Path.Join(ufs.Root, "h")));
    }
}
