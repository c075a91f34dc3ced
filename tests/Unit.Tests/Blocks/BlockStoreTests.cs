using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrleansFs.Blocks;
using OrleansFs.Errors;
using OrleansFs.Grains.Blocks;
using OrleansFs.Grains.Journal;
using OrleansFs.TestSupport;

namespace OrleansFs.Tests.Blocks;

public sealed class BlockStoreTests : IDisposable
{
    private const int Chunk = BlockSidecar.ChunkBytes;
    private readonly TempDirectory _temp = new("ofs-blocks");

    public void Dispose() => _temp.Dispose();

    private BlockStore NewStore(long memoryBytes = 64L * Chunk, long diskBytes = 0, string? journalDirectory = null) =>
        new(Options.Create(new WorkerOptions
        {
            MemoryDirectory = _temp.Combine("mem"),
            MemoryBytes = memoryBytes,
            DiskDirectory = diskBytes > 0 ? _temp.Combine("disk") : null,
            DiskBytes = diskBytes,
        }), NullLogger<BlockStore>.Instance,
            journalDirectory is null ? null : new NamespaceIdentity(Options.Create(new JournalOptions { Directory = journalDirectory })));

    [Fact]
    public void Blocks_of_the_same_namespace_survive_a_restart_and_those_of_another_are_dropped()
    {
        var bytes = Bytes(3 * Chunk + 5, 11);
        Put(NewStore(journalDirectory: _temp.Combine("journal-a")), 16777216, bytes);

        // The same journal directory: a silo restart keeps its memory.
        Assert.Equal(bytes, ReadAll(NewStore(journalDirectory: _temp.Combine("journal-a")), 16777216));

        // A new namespace (a fresh journal over the same memory directory) numbers its blocks from the start
        // again: the old block must not pass for the new file's, and the id must be writable.
        var fresh = NewStore(journalDirectory: _temp.Combine("journal-b"));
        Assert.Null(fresh.GetInfo(16777216));
        var other = Bytes(100, 12);
        Put(fresh, 16777216, other);
        Assert.Equal(other, ReadAll(NewStore(journalDirectory: _temp.Combine("journal-b")), 16777216));
    }

    [Fact]
    public void Every_silo_of_a_new_cluster_reads_the_same_namespace_id()
    {
        var options = Options.Create(new JournalOptions { Directory = _temp.Combine("shared-journal") });
        var ids = Enumerable.Range(0, 8).AsParallel().Select(_ => new NamespaceIdentity(options).Id).ToList();
        Assert.Single(ids.Distinct());
        Assert.NotEqual(ids[0], new NamespaceIdentity(Options.Create(new JournalOptions { Directory = _temp.Combine("other-journal") })).Id);
    }

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static StoredBlockInfo Put(BlockStore store, long id, byte[] bytes, bool persisted = false, bool pinned = false)
    {
        using var writer = store.BeginWrite(id, Math.Max(bytes.Length, 1), pinned, persisted);
        for (int offset = 0; offset < bytes.Length; offset += Chunk)
            writer.Write(offset, bytes.AsSpan(offset, Math.Min(Chunk, bytes.Length - offset)));
        return writer.Commit();
    }

    private static byte[] ReadAll(BlockStore store, long id)
    {
        var info = store.GetInfo(id)!;
        var buffer = new byte[info.Length];
        Assert.Equal((int)info.Length, store.Read(id, 0, buffer));
        return buffer;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Chunk - 1)]
    [InlineData(Chunk)]
    [InlineData(Chunk + 1)]
    [InlineData(3 * Chunk + 17)]
    public void Blocks_round_trip(int length)
    {
        var store = NewStore();
        var bytes = Bytes(length, length);

        var info = Put(store, 42, bytes);

        Assert.Equal(length, info.Length);
        Assert.Equal(bytes, ReadAll(store, 42));
        Assert.True(File.Exists(info.DataPath));
    }

    [Fact]
    public void Positional_reads_across_chunk_boundaries_return_the_right_bytes()
    {
        var store = NewStore();
        var bytes = Bytes(3 * Chunk, 1);
        Put(store, 1, bytes);
        var buffer = new byte[Chunk + 10];

        int read = store.Read(1, Chunk - 5, buffer)!.Value;

        Assert.Equal(Chunk + 10, read);
        Assert.Equal(bytes.AsSpan(Chunk - 5, Chunk + 10).ToArray(), buffer);
        Assert.Equal(0, store.Read(1, 3 * Chunk, buffer));
    }

    [Fact]
    public void Chunks_may_arrive_out_of_order()
    {
        var store = NewStore();
        var bytes = Bytes(2 * Chunk + 3, 2);
        using (var writer = store.BeginWrite(5, bytes.Length, false, false))
        {
            writer.Write(2 * Chunk, bytes.AsSpan(2 * Chunk));
            writer.Write(0, bytes.AsSpan(0, Chunk));
            writer.Write(Chunk, bytes.AsSpan(Chunk, Chunk));
            writer.Commit();
        }

        Assert.Equal(bytes, ReadAll(store, 5));
    }

    [Fact]
    public void A_block_with_a_missing_chunk_cannot_be_committed_and_leaves_nothing()
    {
        var store = NewStore();
        using (var writer = store.BeginWrite(6, 2 * Chunk, false, false))
        {
            writer.Write(Chunk, new byte[Chunk]);
            Assert.Equal(FsErrorCode.InvalidArgument, Assert.Throws<FsException>(() => writer.Commit()).Code);
        }

        Assert.False(store.Contains(6));
        Assert.Equal(0, store.GetTierStats()[0].UsedBytes);
        Assert.Empty(Directory.GetFiles(_temp.Combine("mem")));
    }

    [Fact]
    public void Corrupted_bytes_are_never_returned()
    {
        var store = NewStore();
        var info = Put(store, 7, Bytes(2 * Chunk, 7));
        using (var file = File.OpenWrite(info.DataPath))
        {
            file.Position = Chunk + 100;
            file.WriteByte((byte)(0xFF ^ Bytes(2 * Chunk, 7)[Chunk + 100]));
        }
        var buffer = new byte[2 * Chunk];

        Assert.Equal(Chunk, store.Read(7, 0, buffer.AsSpan(0, Chunk))); // first chunk is intact
        var error = Assert.Throws<FsException>(() => store.Read(7, Chunk, buffer));
        Assert.Equal(FsErrorCode.ChecksumMismatch, error.Code);
        Assert.False(store.Contains(7));
    }

    [Fact]
    public void A_restarted_worker_finds_its_blocks_and_their_flags()
    {
        var first = NewStore();
        var a = Bytes(Chunk + 5, 1);
        Put(first, 1, a, persisted: true);
        Put(first, 2, Bytes(10, 2), pinned: true);
        var torn = first.BeginWrite(3, Chunk, false, false); // never committed: as if the process died
        torn.Write(0, new byte[100]);

        var second = NewStore();

        Assert.Equal(a, ReadAll(second, 1));
        Assert.True(second.GetInfo(1)!.Persisted);
        Assert.True(second.GetInfo(2)!.Pinned);
        Assert.False(second.Contains(3));
        Assert.Equal(Chunk + 5 + 10, second.GetTierStats()[0].UsedBytes);
        Assert.Equal(2, second.GetTierStats()[0].BlockCount);
    }

    [Fact]
    public void A_damaged_sidecar_makes_the_restarted_worker_drop_that_block_only()
    {
        var first = NewStore();
        Put(first, 1, Bytes(100, 1));
        var info = Put(first, 2, Bytes(100, 2));
        File.WriteAllBytes(info.MetaPath, [1, 2, 3]);

        var second = NewStore();

        Assert.True(second.Contains(1));
        Assert.False(second.Contains(2));
        Assert.False(File.Exists(info.DataPath));
    }

    [Fact]
    public void Eviction_drops_the_least_recently_used_persisted_block()
    {
        var store = NewStore(memoryBytes: 3L * Chunk);
        Put(store, 1, Bytes(Chunk, 1), persisted: true);
        Put(store, 2, Bytes(Chunk, 2), persisted: true);
        Put(store, 3, Bytes(Chunk, 3), persisted: true);
        ReadAll(store, 1); // 2 is now the least recently used

        Put(store, 4, Bytes(Chunk, 4));

        Assert.True(store.Contains(1));
        Assert.False(store.Contains(2));
        Assert.True(store.Contains(3));
        Assert.True(store.Contains(4));
    }

    [Fact]
    public void Under_pressure_nothing_unpersisted_or_pinned_is_evicted_and_the_write_fails_with_NoSpace()
    {
        var store = NewStore(memoryBytes: 3L * Chunk);
        var unpersisted = Bytes(Chunk, 1);
        var pinned = Bytes(Chunk, 2);
        var evictable = Bytes(Chunk, 3);
        Put(store, 1, unpersisted);
        Put(store, 2, pinned, persisted: true, pinned: true);
        Put(store, 3, evictable, persisted: true);

        Put(store, 4, Bytes(Chunk, 4)); // takes the evictable block's place
        var error = Assert.Throws<FsException>(() => Put(store, 5, Bytes(Chunk, 5)));

        Assert.Equal(FsErrorCode.NoSpace, error.Code);
        Assert.Equal(unpersisted, ReadAll(store, 1));
        Assert.Equal(pinned, ReadAll(store, 2));
        Assert.False(store.Contains(3));
        Assert.True(store.Contains(4));
        Assert.False(store.Contains(5));
        Assert.Equal(3L * Chunk, store.GetTierStats()[0].UsedBytes);
    }

    [Fact]
    public void A_write_growing_past_capacity_fails_and_releases_its_space()
    {
        var store = NewStore(memoryBytes: 2L * Chunk);
        using (var writer = store.BeginWrite(1, Chunk, false, false))
        {
            writer.Write(0, new byte[Chunk]);
            writer.Write(Chunk, new byte[Chunk]);
            Assert.Equal(FsErrorCode.NoSpace, Assert.Throws<FsException>(() => writer.Write(2 * Chunk, new byte[1])).Code);
        }

        Assert.Equal(0, store.GetTierStats()[0].UsedBytes);
        Put(store, 2, Bytes(2 * Chunk, 2));
    }

    [Fact]
    public void Unpinning_and_persisting_make_a_block_evictable()
    {
        var store = NewStore(memoryBytes: Chunk);
        Put(store, 1, Bytes(Chunk, 1), pinned: true);
        Assert.Throws<FsException>(() => Put(store, 2, Bytes(Chunk, 2)));

        store.SetPersisted(1, true);
        store.SetPinned(1, false);
        Put(store, 2, Bytes(Chunk, 2));

        Assert.False(store.Contains(1));
        Assert.True(store.Contains(2));
    }

    [Fact]
    public void A_full_memory_tier_spills_to_disk_and_promote_brings_a_block_back()
    {
        var store = NewStore(memoryBytes: Chunk, diskBytes: 4L * Chunk);
        var first = Bytes(Chunk, 1);
        Put(store, 1, first);
        var second = Put(store, 2, Bytes(Chunk, 2));

        Assert.Equal("DISK", second.Tier);
        store.Remove(1);
        Assert.True(store.Promote(2));
        Assert.Equal("MEM", store.GetInfo(2)!.Tier);
        Assert.Equal(Bytes(Chunk, 2), ReadAll(store, 2));
    }

    [Fact]
    public void Writing_a_block_twice_is_refused()
    {
        var store = NewStore();
        Put(store, 1, Bytes(10, 1));

        Assert.Equal(FsErrorCode.AlreadyExists, Assert.Throws<FsException>(() => Put(store, 1, Bytes(10, 2))).Code);
        Assert.Equal(Bytes(10, 1), ReadAll(store, 1));
    }

    [Fact]
    public void Misaligned_chunks_are_refused()
    {
        var store = NewStore();
        using var writer = store.BeginWrite(1, Chunk, false, false);

        Assert.Throws<FsException>(() => writer.Write(5, new byte[10]));
        Assert.Throws<FsException>(() => writer.Write(0, new byte[Chunk + 1]));
    }
}
