using Microsoft.Extensions.DependencyInjection;
using OrleansFs.Blocks;
using OrleansFs.Client.Streams;
using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Grains.Blocks;
using OrleansFs.Grains.Blocks.Scrub;
using OrleansFs.TestSupport.Files;

namespace OrleansFs.Tests.Data;

/// <summary>
/// Integrity without re-hashing every read: a block its worker sealed is served through the data endpoint without
/// hashing it again, and a block damaged in the memory tier behind the worker's back (a byte flipped in its file) is
/// found by the next read, which must then verify, and by the scrubber; it is never served as good data, and when
/// the file is persisted it comes back from the under-storage.
/// </summary>
public sealed class BlockScrubTests(DataClusterFixture fixture) : IClassFixture<DataClusterFixture>
{
    private const int Chunk = BlockSidecar.ChunkBytes;
    private static int _next;

    private static string NewPath(string name) => $"/scrub/{Interlocked.Increment(ref _next)}/{name}";

    private IEnumerable<SiloAddress> Silos => fixture.Cluster.GetActiveSilos().Select(s => s.SiloAddress);

    private long VerifiedReadBytes => Silos.Sum(s => fixture.StoreOf(s).VerifiedReadBytes);

    private async Task<byte[]> WriteAsync(string path, int size, WriteType writeType, int seed)
    {
        var bytes = FileRoundTripTests.Bytes(size, seed);
        await using var stream = await fixture.Files.CreateFileAsync(path,
            new CreateFileOptions { BlockSizeBytes = 4 * Chunk, WriteType = writeType }, shortCircuit: false);
        await stream.WriteAsync(bytes);
        return bytes;
    }

    private async Task<byte[]> ReadAsync(string path, bool shortCircuit = false)
    {
        await using var stream = await fixture.Files.OpenFileAsync(path, new OpenFileOptions { ShortCircuit = shortCircuit });
        var result = new MemoryStream();
        await stream.CopyToAsync(result, 300_000);
        return result.ToArray();
    }

    /// <summary>The silo holding the file's only block, and that block's file on its memory tier.</summary>
    private async Task<(SiloAddress Silo, long BlockId, string DataPath)> HolderAsync(string path)
    {
        var stored = (await fixture.Files.GetBlockLocationsAsync(path)).Single().Location.Stored!;
        var silo = Silos.Single(s => fixture.StoreOf(s).Contains(stored.BlockId));
        return (silo, stored.BlockId, stored.DataPath);
    }


    private BlockScrubber ScrubberOf(SiloAddress silo) => fixture.Cluster.GetSiloServiceProvider(silo).GetRequiredService<BlockScrubber>();

    [Fact]
    public async Task A_block_its_worker_sealed_is_read_through_the_endpoint_without_hashing_it_again()
    {
        string path = NewPath("sealed");
        var bytes = await WriteAsync(path, 3 * Chunk + 17, WriteType.MustCache, 1);
        long verified = VerifiedReadBytes;

        Assert.Equal(bytes, await ReadAsync(path));
        Assert.Equal(bytes, await ReadAsync(path));

        Assert.Equal(verified, VerifiedReadBytes);
    }

    [Fact]
    public async Task A_byte_flipped_in_the_memory_tier_is_found_by_the_next_read_and_never_served()
    {
        string path = NewPath("flipped");
        var bytes = await WriteAsync(path, 2 * Chunk + 5, WriteType.MustCache, 2);
        Assert.Equal(bytes, await ReadAsync(path)); // trusted: read without hashing
        var holder = await HolderAsync(path);

        FileDamage.FlipByte(holder.DataPath, Chunk + 100);

        await using var stream = await fixture.Files.OpenFileAsync(path, new OpenFileOptions { ShortCircuit = false });
        var buffer = new byte[Chunk];
        var error = await Assert.ThrowsAsync<FsException>(async () => await stream.ReadAtAsync(Chunk, buffer));
        Assert.Equal(FsErrorCode.ChecksumMismatch, error.Code);
        Assert.Equal(path, error.Path);
        Assert.False(fixture.StoreOf(holder.Silo).Contains(holder.BlockId), "the damaged block was dropped");
        // Not persisted, so there is nothing good to serve: every later read fails too, none returns the flipped byte.
        await Assert.ThrowsAsync<FsException>(() => ReadAsync(path));
    }

    [Fact]
    public async Task A_same_host_reader_of_a_block_changed_behind_the_workers_back_checks_it_and_gets_no_wrong_byte()
    {
        string path = NewPath("same-host");
        var bytes = await WriteAsync(path, 2 * Chunk + 11, WriteType.MustCache, 6);
        Assert.Equal(bytes, await ReadAsync(path, shortCircuit: true)); // the file as its worker verified it
        var holder = await HolderAsync(path);

        FileDamage.FlipByte(holder.DataPath, Chunk + 2);

        var error = await Assert.ThrowsAsync<FsException>(() => ReadAsync(path, shortCircuit: true));
        Assert.Equal(path, error.Path);
    }

    [Fact]
    public async Task The_scrubber_finds_a_block_damaged_behind_the_workers_back_and_drops_it()
    {
        string path = NewPath("scrubbed");
        await WriteAsync(path, Chunk + 1, WriteType.MustCache, 3);
        var holder = await HolderAsync(path);
        var scrubber = ScrubberOf(holder.Silo);
        long corrupt = scrubber.Progress.CorruptBlocks;

        FileDamage.FlipByte(holder.DataPath, 7);
        var progress = await scrubber.ScrubNowAsync();

        Assert.Equal(corrupt + 1, progress.CorruptBlocks);
        Assert.NotNull(progress.LastPassCompleted);
        Assert.False(fixture.StoreOf(holder.Silo).Contains(holder.BlockId));
        await Assert.ThrowsAsync<FsException>(() => ReadAsync(path));
    }

    [Fact]
    public async Task A_persisted_block_the_scrubber_dropped_is_reloaded_from_the_under_storage()
    {
        string path = NewPath("reloaded");
        var bytes = await WriteAsync(path, 2 * Chunk + 3, WriteType.CacheThrough, 4);
        var holder = await HolderAsync(path);
        var scrubber = ScrubberOf(holder.Silo);
        long corrupt = scrubber.Progress.CorruptBlocks;

        FileDamage.FlipByte(holder.DataPath, Chunk + 1);
        Assert.Equal(corrupt + 1, (await scrubber.ScrubNowAsync()).CorruptBlocks);

        Assert.Equal(bytes, await ReadAsync(path));
        var (silo, blockId, _) = await HolderAsync(path);
        Assert.True(fixture.StoreOf(silo).Contains(blockId), "the block is cached again");
    }

    [Fact]
    public async Task A_block_whose_file_changed_is_verified_on_read_until_the_scrubber_checked_it_again()
    {
        string path = NewPath("changed");
        var bytes = await WriteAsync(path, Chunk + 9, WriteType.MustCache, 5);
        var holder = await HolderAsync(path);
        FileDamage.FlipByte(holder.DataPath, 3);
        FileDamage.FlipByte(holder.DataPath, 3); // the same bytes again, but written behind the worker's back

        long verified = VerifiedReadBytes;
        Assert.Equal(bytes, await ReadAsync(path));
        Assert.Equal(bytes.Length, VerifiedReadBytes - verified);

        var progress = await ScrubberOf(holder.Silo).ScrubNowAsync();
        Assert.True(progress.BlocksChecked >= 1);
        verified = VerifiedReadBytes;
        Assert.Equal(bytes, await ReadAsync(path));
        Assert.Equal(verified, VerifiedReadBytes);
    }
}
