using OrleansFs.Blocks;
using OrleansFs.Client.Streams;
using OrleansFs.Files;
using OrleansFs.Master;
using Orleans.TestingHost;

namespace OrleansFs.Tests.UnderStorageSync;

/// <summary>Deletes and renames reach the under-storage directory and the workers' memory.</summary>
public sealed class DeleteRenameCarryOverTests(UnderStorageClusterFixture fixture) : IClassFixture<UnderStorageClusterFixture>
{
    private const int BlockSize = BlockSidecar.ChunkBytes;
    private static int _next;

    private static string NewDir() => $"/carry/{Interlocked.Increment(ref _next)}";

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private async Task<FileStatus> WriteAsync(string path, byte[] bytes, WriteType writeType)
    {
        await using (var stream = await fixture.Files.CreateFileAsync(path,
                         new CreateFileOptions { BlockSizeBytes = BlockSize, WriteType = writeType, Recursive = true }))
            await stream.WriteAsync(bytes);
        if (writeType == WriteType.AsyncThrough)
            await Eventually.TrueAsync(async () => (await fixture.Master.GetStatus(path)).PersistenceState == PersistenceState.Persisted,
                $"{path} persisted in the background");
        return await fixture.Master.GetStatus(path);
    }

    private async Task<byte[]> ReadAsync(string path)
    {
        await using var stream = await fixture.Files.OpenFileAsync(path, new OpenFileOptions { ReadType = ReadType.NoCache });
        var result = new MemoryStream();
        await stream.CopyToAsync(result);
        return result.ToArray();
    }

    [Theory]
    [InlineData(WriteType.CacheThrough)]
    [InlineData(WriteType.AsyncThrough)]
    public async Task Deleting_a_persisted_file_removes_its_copy_and_its_blocks(WriteType writeType)
    {
        string path = $"{NewDir()}/file";
        var bytes = Bytes(3 * BlockSize + 17, 1);
        var status = await WriteAsync(path, bytes, writeType);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(fixture.OnDisk(path)));
        Assert.Equal(4, fixture.BlocksInMemory(status.InodeId));

        await fixture.Master.Delete(path, false, Guid.NewGuid());

        await Eventually.TrueAsync(() => !File.Exists(fixture.OnDisk(path)), $"{path} gone from the under-storage");
        await Eventually.TrueAsync(() => fixture.BlocksInMemory(status.InodeId) == 0, "its blocks gone from worker memory");
    }

    [Fact]
    public async Task Deleting_a_must_cache_tree_drops_every_block_and_leaves_other_under_storage_files_alone()
    {
        string dir = NewDir();
        var files = new List<FileStatus>();
        for (int i = 0; i < 3; i++) files.Add(await WriteAsync($"{dir}/tree/f{i}", Bytes(BlockSize + 1 + i, i), WriteType.MustCache));
        var neighbour = await WriteAsync($"{dir}/kept", Bytes(100, 9), WriteType.CacheThrough);
        long[] inodes = files.Select(f => f.InodeId).ToArray();
        Assert.Equal(6, fixture.BlocksInMemory(inodes));

        await fixture.Master.Delete($"{dir}/tree", true, Guid.NewGuid());

        await Eventually.TrueAsync(() => fixture.BlocksInMemory(inodes) == 0, "the tree's blocks gone from worker memory");
        Assert.True(File.Exists(fixture.OnDisk(neighbour.Path)));
        Assert.Equal(1, fixture.BlocksInMemory(neighbour.InodeId));
    }

    [Fact]
    public async Task Deleting_a_tree_of_persisted_files_removes_the_directory_from_the_under_storage()
    {
        string dir = NewDir();
        var a = await WriteAsync($"{dir}/t/a", Bytes(2 * BlockSize, 2), WriteType.CacheThrough);
        var b = await WriteAsync($"{dir}/t/sub/b", Bytes(10, 3), WriteType.AsyncThrough);

        await fixture.Master.Delete($"{dir}/t", true, Guid.NewGuid());

        await Eventually.TrueAsync(() => !Directory.Exists(fixture.OnDisk($"{dir}/t")), "the tree gone from the under-storage");
        await Eventually.TrueAsync(() => fixture.BlocksInMemory(a.InodeId, b.InodeId) == 0, "the tree's blocks gone from worker memory");
    }

    [Theory]
    [InlineData(WriteType.CacheThrough)]
    [InlineData(WriteType.AsyncThrough)]
    public async Task Renaming_a_persisted_file_moves_its_copy_and_it_still_reads_back_after_being_freed(WriteType writeType)
    {
        string dir = NewDir();
        var bytes = Bytes(2 * BlockSize + 5, 4);
        await WriteAsync($"{dir}/before", bytes, writeType);
        await fixture.Master.CreateDirectory($"{dir}/moved", false, Guid.NewGuid());

        await fixture.Master.Rename($"{dir}/before", $"{dir}/moved/after", Guid.NewGuid());

        await Eventually.TrueAsync(() => File.Exists(fixture.OnDisk($"{dir}/moved/after")), "the copy at the new path");
        Assert.False(File.Exists(fixture.OnDisk($"{dir}/before")));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(fixture.OnDisk($"{dir}/moved/after")));
        // Out of memory, the bytes can only come from the moved copy.
        await fixture.Files.FreeAsync($"{dir}/moved/after");
        Assert.Equal(bytes, await ReadAsync($"{dir}/moved/after"));
    }

    [Fact]
    public async Task Renaming_a_directory_moves_the_files_below_it()
    {
        string dir = NewDir();
        var one = Bytes(BlockSize + 1, 5);
        var two = Bytes(333, 6);
        await WriteAsync($"{dir}/src/one", one, WriteType.CacheThrough);
        await WriteAsync($"{dir}/src/deep/two", two, WriteType.AsyncThrough);

        await fixture.Master.Rename($"{dir}/src", $"{dir}/dst", Guid.NewGuid());

        await Eventually.TrueAsync(() => !Directory.Exists(fixture.OnDisk($"{dir}/src")), "the old directory gone");
        Assert.Equal(one, await File.ReadAllBytesAsync(fixture.OnDisk($"{dir}/dst/one")));
        Assert.Equal(two, await File.ReadAllBytesAsync(fixture.OnDisk($"{dir}/dst/deep/two")));
    }

    [Fact]
    public async Task A_file_created_again_at_a_renamed_or_deleted_path_is_never_touched_by_the_old_cleanup()
    {
        string dir = NewDir();
        for (int round = 0; round < 5; round++)
        {
            var old = Bytes(BlockSize / 2, 100 + round);
            var fresh = Bytes(BlockSize / 3, 200 + round);
            await WriteAsync($"{dir}/a", old, WriteType.CacheThrough);

            // Rename a -> b, then at once write a new a; then delete b and write a new b.
            await fixture.Master.Rename($"{dir}/a", $"{dir}/b", Guid.NewGuid());
            await WriteAsync($"{dir}/a", fresh, WriteType.CacheThrough);
            Assert.Equal(fresh, await File.ReadAllBytesAsync(fixture.OnDisk($"{dir}/a")));
            Assert.Equal(old, await File.ReadAllBytesAsync(fixture.OnDisk($"{dir}/b")));

            await fixture.Master.Delete($"{dir}/b", false, Guid.NewGuid());
            await WriteAsync($"{dir}/b", fresh, WriteType.CacheThrough);
            Assert.Equal(fresh, await File.ReadAllBytesAsync(fixture.OnDisk($"{dir}/b")));

            await fixture.Master.Delete(dir, true, Guid.NewGuid());
        }
        await Eventually.TrueAsync(() => !Directory.Exists(fixture.OnDisk(dir)), "the last round's files removed");
    }

    [Fact]
    public async Task A_through_write_whose_file_is_deleted_meanwhile_leaves_no_copy_behind()
    {
        string path = $"{NewDir()}/through";
        var stream = await fixture.Files.CreateFileAsync(path,
            new CreateFileOptions { BlockSizeBytes = BlockSize, WriteType = WriteType.Through, Recursive = true });
        await stream.WriteAsync(Bytes(BlockSize + 10, 8));

        await fixture.Master.Delete(path, false, Guid.NewGuid());

        await Assert.ThrowsAnyAsync<Exception>(async () => await stream.DisposeAsync());
        string directory = Path.GetDirectoryName(fixture.OnDisk(path))!;
        await Eventually.TrueAsync(() => !Directory.Exists(directory) || Directory.GetFileSystemEntries(directory).Length == 0,
            "neither the file nor its temporary copy in the under-storage");
        await Assert.ThrowsAsync<OrleansFs.Errors.FsException>(() => fixture.Master.GetStatus(path));
    }

    [Fact]
    public async Task A_master_handed_off_by_a_graceful_stop_finishes_the_cleanup_its_predecessor_journaled_but_did_not_carry_out()
    {
        string dir = NewDir();
        var status = await WriteAsync($"{dir}/f", Bytes(4 * BlockSize, 7), WriteType.CacheThrough);
        // The blocks to watch are those on the silo that stays up: put the master on another one.
        var holder = fixture.Cluster.Silos.First(s => fixture.BlocksInMemory(s, status.InodeId) > 0);
        var silo = await MasterAwayFromAsync(holder);
        string host = Endpoint(silo);

        // The under-storage is unreachable for this master: the delete is acknowledged, its cleanup stays pending.
        fixture.Gate.Pause();
        try
        {
            await fixture.Master.Delete($"{dir}/f", false, Guid.NewGuid());
            await Task.Delay(1500); // a few of the master's retries
            Assert.True(File.Exists(fixture.OnDisk($"{dir}/f")));
            await fixture.Cluster.StopSiloAsync(silo); // hands the master off before the silo goes
        }
        finally
        {
            fixture.Gate.Resume();
        }
        await fixture.Cluster.StartAdditionalSiloAsync();

        var info = await fixture.Master.GetInfo();
        Assert.Equal(Endpoint(holder), info.SiloAddress);
        var takeover = (await fixture.Master.GetTakeovers()).Single(t => t.Epoch == info.Epoch);
        Assert.Equal((host, TakeoverCause.GracefulMove), (takeover.PreviousSiloAddress, takeover.Cause));
        await Eventually.TrueAsync(() => !File.Exists(fixture.OnDisk($"{dir}/f")), "the copy removed by the new master");
        await Eventually.TrueAsync(() => fixture.BlocksInMemory(status.InodeId) == 0, "its blocks dropped");
    }

    private static string Endpoint(InProcessSiloHandle silo) => $"{silo.SiloAddress.Endpoint.Address}:{silo.SiloAddress.Endpoint.Port}";

    /// <summary>The master's silo, after moving the master off <paramref name="avoid"/> if it was there.</summary>
    private async Task<InProcessSiloHandle> MasterAwayFromAsync(InProcessSiloHandle avoid)
    {
        var other = fixture.Cluster.Silos.First(s => s != avoid);
        if ((await fixture.Master.GetInfo()).SiloAddress == Endpoint(avoid))
        {
            await fixture.Master.HandOff(other.SiloAddress);
            await Eventually.TrueAsync(async () => (await fixture.Master.GetInfo()).SiloAddress == Endpoint(other), "the master moved");
        }
        string host = (await fixture.Master.GetInfo()).SiloAddress;
        return fixture.Cluster.Silos.Single(s => Endpoint(s) == host);
    }
}
