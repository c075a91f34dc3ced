using OrleansFs.Blocks;
using OrleansFs.Files;

namespace OrleansFs.Tests.UnderStorageSync;

/// <summary>
/// ASYNC_THROUGH files whose persistence had not finished when the master died: the new master schedules them
/// again. (The state is made as a crash leaves it: the file is complete and marked ToBePersisted, and no
/// persist ever ran, since it was written MUST_CACHE.)
/// </summary>
public sealed class PersistAfterTakeoverTests(UnderStorageClusterFixture fixture) : IClassFixture<UnderStorageClusterFixture>
{
    private static int _next;

    private async Task<(string Path, byte[] Bytes, FileStatus Status)> LeftToBePersistedAsync()
    {
        string path = $"/after-crash/{Interlocked.Increment(ref _next)}/file";
        var bytes = new byte[2 * BlockSidecar.ChunkBytes + 99];
        new Random(_next).NextBytes(bytes);
        await using (var stream = await fixture.Files.CreateFileAsync(path,
                         new CreateFileOptions { BlockSizeBytes = BlockSidecar.ChunkBytes, WriteType = WriteType.MustCache, Recursive = true }))
            await stream.WriteAsync(bytes);
        var status = await fixture.Master.SetAttribute(path, new SetAttributeOptions { PersistenceState = PersistenceState.ToBePersisted }, Guid.NewGuid());
        return (path, bytes, status);
    }

    private async Task NewMasterAsync()
    {
        long epoch = (await fixture.Master.GetInfo()).Epoch;
        await fixture.Cluster.DeactivateAsync(fixture.Master);
        Assert.True((await fixture.Master.GetInfo()).Epoch > epoch);
    }

    private Task<PersistenceState> StateAsync(string path) => fixture.Master.GetStatus(path).ContinueWith(t => t.Result.PersistenceState);

    [Fact]
    public async Task A_file_whose_blocks_are_still_in_memory_is_persisted_by_the_new_master()
    {
        var (path, bytes, _) = await LeftToBePersistedAsync();
        await Task.Delay(300);
        Assert.Equal(PersistenceState.ToBePersisted, await StateAsync(path));
        Assert.False(File.Exists(fixture.OnDisk(path)));

        await NewMasterAsync();

        await Eventually.TrueAsync(async () => await StateAsync(path) == PersistenceState.Persisted, $"{path} persisted by the new master");
        Assert.Equal(bytes, await File.ReadAllBytesAsync(fixture.OnDisk(path)));
    }

    [Fact]
    public async Task A_file_whose_blocks_died_with_their_worker_becomes_lost()
    {
        var (path, _, status) = await LeftToBePersistedAsync();
        fixture.LoseBlocks(status.InodeId);

        await NewMasterAsync();

        await Eventually.TrueAsync(async () => await StateAsync(path) == PersistenceState.Lost, $"{path} marked LOST");
        Assert.False(File.Exists(fixture.OnDisk(path)));
        // The abandoned copy's temporary file goes once the failed persist unwinds.
        await Eventually.TrueAsync(() => Directory.GetFiles(Path.GetDirectoryName(fixture.OnDisk(path))!, ".ofs-tmp-*").Length == 0,
            "no temporary file left");
    }
}
