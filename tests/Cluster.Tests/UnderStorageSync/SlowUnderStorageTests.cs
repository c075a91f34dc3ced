using System.Diagnostics;
using OrleansFs.Blocks;
using OrleansFs.Files;

namespace OrleansFs.Tests.UnderStorageSync;

/// <summary>
/// An under-storage that stops answering (a hung NFS mount) holds only the calls that need it: grains await
/// it, so the silos go on serving everything else. Were a grain to wait for it on its own thread, each held
/// call would pin one of the thread pool's threads, which Orleans runs every grain turn on; with more held
/// calls than the pool has threads, every other call would queue behind them.
/// </summary>
public sealed class SlowUnderStorageTests(UnderStorageClusterFixture fixture) : IClassFixture<UnderStorageClusterFixture>, IDisposable
{
    // Far more than the thread pool starts with (one per core) and than it adds in the test's time limits.
    private const int HeldReads = 64;
    private const int BlockBytes = 4096;
    private static readonly TimeSpan Meanwhile = TimeSpan.FromSeconds(5);

    public void Dispose() => fixture.Hold.Release();

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private IBlockGrain Block(long id) => fixture.Client.GetGrain<IBlockGrain>(id);

    /// <summary>A block id of an inode the master never hands out in these tests.</summary>
    private static long BlockId(long inode, int index) => (inode << 24) | (uint)index;

    [Fact]
    public async Task Block_reloads_waiting_on_a_hung_under_storage_leave_the_silos_serving_other_calls()
    {
        long inode = (1L << 30) + Random.Shared.Next(1 << 20);
        // A persisted file whose blocks are in no worker's memory: reading any of them goes to the under-storage.
        var file = Bytes(HeldReads * BlockBytes, 1);
        string local = fixture.OnDisk("/held/blocks");
        Directory.CreateDirectory(Path.GetDirectoryName(local)!);
        await File.WriteAllBytesAsync(local, file);
        var blocks = Enumerable.Range(0, HeldReads).Select(i => new BlockRef
        {
            Path = "/held/blocks", BlockId = BlockId(inode, i), FileOffset = (long)i * BlockBytes, Length = BlockBytes,
            PersistenceState = PersistenceState.Persisted,
        }).ToList();
        // And one block in memory, which needs no under-storage.
        var cached = new BlockRef { Path = "/t", BlockId = BlockId(inode + 1, 0), Length = BlockBytes };
        var cachedBytes = Bytes(BlockBytes, 2);
        await Block(cached.BlockId).BeginWrite(new BlockWriteRequest { Path = "/t", CapacityBytes = BlockBytes });
        await Block(cached.BlockId).WriteChunk(0, cachedBytes);
        await Block(cached.BlockId).CompleteWrite();

        fixture.Hold.Hold("/held");
        var heldReads = blocks.Select(b => Block(b.BlockId).Read(b, 0, BlockBytes, ReadType.Cache)).ToList();
        await Eventually.TrueAsync(() => fixture.Hold.Entered == HeldReads, "every block's reload is held in the under-storage", 10);

        var clock = Stopwatch.StartNew();
        var others = Enumerable.Range(0, 100).Select(async _ =>
        {
            Assert.True((await fixture.Master.GetStatus("/")).IsDirectory);
            Assert.Equal(cachedBytes, (await Block(cached.BlockId).Read(cached, 0, BlockBytes, ReadType.Cache)).ToArray());
        });
        await Task.WhenAll(others).WaitAsync(Meanwhile);
        clock.Stop();

        Assert.All(heldReads, read => Assert.False(read.IsCompleted));
        fixture.Hold.Release();
        var read = await Task.WhenAll(heldReads).WaitAsync(TimeSpan.FromSeconds(30));
        for (int i = 0; i < HeldReads; i++)
            Assert.Equal(file.AsSpan(i * BlockBytes, BlockBytes).ToArray(), read[i].ToArray());
        Assert.True(clock.Elapsed < Meanwhile, $"other calls took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_metadata_sync_listing_held_by_the_under_storage_leaves_the_master_serving_other_calls()
    {
        await fixture.Master.CreateDirectory("/heldsync", true, Guid.NewGuid());
        await fixture.Master.CreateDirectory("/free", true, Guid.NewGuid());
        string dropped = fixture.OnDisk("/heldsync/dropped");
        Directory.CreateDirectory(Path.GetDirectoryName(dropped)!);
        await File.WriteAllTextAsync(dropped, "data");

        fixture.Hold.Hold("/heldsync");
        var listing = fixture.Master.ListStatus("/heldsync", false);
        await Eventually.TrueAsync(() => fixture.Hold.Entered > 0, "the listing reached the under-storage", 10);

        var others = Enumerable.Range(0, 100).Select(async i =>
        {
            Assert.True((await fixture.Master.GetStatus("/free")).IsDirectory);
            Assert.Empty(await fixture.Master.ListStatus("/free", false));
        });
        await Task.WhenAll(others).WaitAsync(Meanwhile);

        Assert.False(listing.IsCompleted);
        fixture.Hold.Release();
        Assert.Equal(["/heldsync/dropped"], (await listing.WaitAsync(TimeSpan.FromSeconds(30))).Select(s => s.Path));
    }
}
