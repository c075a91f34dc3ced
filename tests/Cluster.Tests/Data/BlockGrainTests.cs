using OrleansFs.Blocks;
using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Paths;

namespace OrleansFs.Tests.Data;

public sealed class BlockGrainTests(DataClusterFixture fixture) : IClassFixture<DataClusterFixture>
{
    private const int Chunk = BlockSidecar.ChunkBytes;
    private static long _nextInode = Random.Shared.Next(1, 1 << 20);

    private static long NewBlockId() => Interlocked.Increment(ref _nextInode) << 24;

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private IBlockGrain Block(long id) => fixture.Client.GetGrain<IBlockGrain>(id);

    private async Task WriteAsync(long id, byte[] bytes, bool pinned = false)
    {
        var grain = Block(id);
        await grain.BeginWrite(new BlockWriteRequest { Path = "/t", CapacityBytes = Math.Max(bytes.Length, 1), Pinned = pinned });
        for (int offset = 0; offset < bytes.Length; offset += Chunk)
            await grain.WriteChunk(offset, bytes.AsMemory(offset, Math.Min(Chunk, bytes.Length - offset)));
        await grain.CompleteWrite();
    }

    private async Task<byte[]> ReadAsync(BlockRef block, ReadType readType = ReadType.Cache)
    {
        var result = new MemoryStream();
        for (long offset = 0; offset < block.Length; offset += Chunk)
            result.Write(await Block(block.BlockId).Read(block, offset, Chunk, readType));
        return result.ToArray();
    }

    private static BlockRef Ref(long id, long length, PersistenceState state = PersistenceState.NotPersisted, string path = "/t", long fileOffset = 0) =>
        new() { Path = path, BlockId = id, Length = length, FileOffset = fileOffset, PersistenceState = state };

    private async Task PutInUnderStorageAsync(string path, byte[] bytes)
    {
        await using var writer = await fixture.UnderStorage.CreateAsync(FsPath.Parse(path));
        await writer.WriteAsync(0, bytes);
        await writer.CommitAsync();
    }

    [Fact]
    public async Task A_block_written_in_chunks_reads_back_from_the_worker_that_stored_it()
    {
        long id = NewBlockId();
        var bytes = Bytes(3 * Chunk + 100, 1);

        await WriteAsync(id, bytes);
        var location = await Block(id).GetLocation();

        Assert.Equal(bytes, await ReadAsync(Ref(id, bytes.Length)));
        Assert.NotNull(location.Stored);
        Assert.Equal(bytes.Length, location.Stored!.Length);
        Assert.True(File.Exists(location.Stored.DataPath));
    }

    [Fact]
    public async Task A_persisted_block_that_is_not_in_memory_is_reloaded_from_the_under_storage()
    {
        long id = NewBlockId();
        var file = Bytes(5 * Chunk, 2);
        await PutInUnderStorageAsync("/persisted/f", file);
        var second = Ref(id, 2 * Chunk + 7, PersistenceState.Persisted, "/persisted/f", fileOffset: 2 * Chunk);

        Assert.Equal(file.AsSpan(2 * Chunk, 2 * Chunk + 7).ToArray(), await ReadAsync(second));
        Assert.NotNull((await Block(id).GetLocation()).Stored);
        Assert.True((await Block(id).GetLocation()).Stored!.Persisted);
    }

    [Fact]
    public async Task NO_CACHE_reads_of_a_persisted_block_leave_memory_alone()
    {
        long id = NewBlockId();
        var file = Bytes(Chunk + 3, 3);
        await PutInUnderStorageAsync("/nocache", file);

        Assert.Equal(file, await ReadAsync(Ref(id, file.Length, PersistenceState.Persisted, "/nocache"), ReadType.NoCache));
        Assert.Null((await Block(id).GetLocation()).Stored);
    }

    [Fact]
    public async Task A_block_that_was_never_persisted_and_is_gone_is_reported_LOST()
    {
        long id = NewBlockId();

        var error = await Assert.ThrowsAsync<FsException>(() => Block(id).Read(Ref(id, 10, path: "/lost"), 0, 10, ReadType.Cache));

        Assert.Equal(FsErrorCode.FileLost, error.Code);
        Assert.Equal("/lost", error.Path);
    }

    [Fact]
    public async Task Free_keeps_unpersisted_and_pinned_blocks_and_drops_persisted_ones()
    {
        long id = NewBlockId();
        var bytes = Bytes(Chunk, 4);
        await WriteAsync(id, bytes, pinned: true);

        var pinned = await Assert.ThrowsAsync<FsException>(() => Block(id).Free("/t"));
        await Block(id).SetPinned(false);
        var unpersisted = await Assert.ThrowsAsync<FsException>(() => Block(id).Free("/t"));
        await PutInUnderStorageAsync("/freed", bytes);
        await Block(id).MarkPersisted();
        await Block(id).Free("/freed");

        Assert.Contains("pinned", pinned.Message);
        Assert.Contains("not persisted", unpersisted.Message);
        Assert.Null((await Block(id).GetLocation()).Stored);
        Assert.Equal(bytes, await ReadAsync(Ref(id, bytes.Length, PersistenceState.Persisted, "/freed")));
    }

    [Fact]
    public async Task A_block_already_on_a_workers_tmpfs_activates_on_that_worker()
    {
        long id = NewBlockId();
        var bytes = Bytes(100, 5);
        foreach (var silo in fixture.Cluster.GetActiveSilos())
        {
            // Put the block straight into this silo's store, as a restarted worker would find it.
            var store = fixture.StoreOf(silo.SiloAddress);
            using (var writer = store.BeginWrite(id, bytes.Length, false, false))
            {
                writer.Write(0, bytes);
                writer.Commit();
            }

            var location = await Block(id).GetLocation();

            Assert.Equal(silo.SiloAddress.Endpoint.ToString(), location.SiloAddress);
            Assert.Equal(bytes, await ReadAsync(Ref(id, bytes.Length)));
            await Block(id).Delete();
            await fixture.Cluster.WaitForDeactivationAsync(Block(id));
            id = NewBlockId();
        }
    }

    [Fact]
    public async Task Writes_that_do_not_fit_any_worker_fail_with_NoSpace_and_keep_earlier_blocks()
    {
        long id = NewBlockId();
        var grain = Block(id);

        var error = await Assert.ThrowsAsync<FsException>(() =>
            grain.BeginWrite(new BlockWriteRequest { Path = "/big", CapacityBytes = DataClusterFixture.MemoryBytes + 1 }));

        Assert.Equal(FsErrorCode.NoSpace, error.Code);
    }

    [Fact]
    public async Task Every_worker_reports_its_memory_tier()
    {
        foreach (var silo in fixture.Cluster.GetActiveSilos())
        {
            var stats = await fixture.Client.GetGrain<IWorkerGrain>(IWorkerGrain.KeyFor(silo.SiloAddress)).GetStats();

            Assert.Equal(silo.SiloAddress.Endpoint.ToString(), stats.SiloAddress);
            Assert.Equal("MEM", stats.Tiers[0].Name);
            Assert.Equal(DataClusterFixture.MemoryBytes, stats.Tiers[0].CapacityBytes);
        }
    }

    [Fact]
    public async Task Reads_outside_the_block_are_refused()
    {
        long id = NewBlockId();
        await WriteAsync(id, Bytes(10, 6));

        await Assert.ThrowsAsync<FsException>(() => Block(id).Read(Ref(id, 10), -1, 5, ReadType.Cache));
        await Assert.ThrowsAsync<FsException>(() => Block(id).Read(Ref(id, 10), 11, 5, ReadType.Cache));
        await Assert.ThrowsAsync<FsException>(() => Block(id).Read(Ref(id, 10), 0, IBlockGrain.MaxReadBytes + 1, ReadType.Cache));
    }
}
