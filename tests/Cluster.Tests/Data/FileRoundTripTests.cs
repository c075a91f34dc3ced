using System.Security.Cryptography;
using OrleansFs.Blocks;
using OrleansFs.Client.Streams;
using OrleansFs.Errors;
using OrleansFs.Files;

namespace OrleansFs.Tests.Data;

/// <summary>
/// Files written with every write type read back right with every read type, through grain calls and through
/// same-host block files (the data endpoints have their own tests in <see cref="DataEndpointTests"/>).
/// </summary>
public sealed class FileRoundTripTests(DataClusterFixture fixture) : IClassFixture<DataClusterFixture>
{
    private const int BlockSize = BlockSidecar.ChunkBytes; // 1 MiB blocks: many blocks from small files
    private static int _next;

    public static TheoryData<int, WriteType> SizesAndWriteTypes()
    {
        var data = new TheoryData<int, WriteType>();
        foreach (int size in new[] { 0, 1, BlockSize - 1, BlockSize, BlockSize + 1, 3 * BlockSize + 12345 })
            foreach (var writeType in Enum.GetValues<WriteType>())
                data.Add(size, writeType);
        return data;
    }

    private static string NewPath(string name) => $"/roundtrip/{Interlocked.Increment(ref _next)}/{name}";

    internal static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private async Task WriteAsync(string path, byte[] bytes, WriteType writeType, int writeSize = 100_000, bool shortCircuit = false)
    {
        await using var stream = await fixture.Files.CreateFileAsync(path,
            new CreateFileOptions { BlockSizeBytes = BlockSize, WriteType = writeType }, shortCircuit: shortCircuit, dataEndpoint: false);
        for (int offset = 0; offset < bytes.Length; offset += writeSize)
            await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(writeSize, bytes.Length - offset)));
    }

    private async Task<byte[]> ReadAsync(string path, ReadType readType, bool shortCircuit)
    {
        await using var stream = await fixture.Files.OpenFileAsync(path, new OpenFileOptions { ReadType = readType, ShortCircuit = shortCircuit, DataEndpoint = false });
        var result = new MemoryStream();
        await stream.CopyToAsync(result, 77_777);
        return result.ToArray();
    }

    [Theory]
    [MemberData(nameof(SizesAndWriteTypes))]
    public async Task Every_size_and_write_type_reads_back_with_every_read_type(int size, WriteType writeType)
    {
        string path = NewPath($"{size}-{writeType}");
        var bytes = Bytes(size, size);

        // Odd sizes go through the grains, the others are written straight into the worker's block files.
        await WriteAsync(path, bytes, writeType, shortCircuit: size % 2 == 0);

        var status = await fixture.Client.GetGrain<OrleansFs.Master.IMasterGrain>(0).GetStatus(path);
        Assert.Equal(size, status.Length);
        Assert.Equal((size + BlockSize - 1) / BlockSize, status.BlockIds.Count);
        foreach (var readType in Enum.GetValues<ReadType>())
            foreach (bool shortCircuit in new[] { false, true })
            {
                var read = await ReadAsync(path, readType, shortCircuit);
                Assert.True(bytes.AsSpan().SequenceEqual(read),
                    $"{writeType} file of {size} bytes read with {readType} (short-circuit {shortCircuit}) differs");
            }
    }

    [Theory]
    [InlineData(WriteType.MustCache, PersistenceState.NotPersisted)]
    [InlineData(WriteType.CacheThrough, PersistenceState.Persisted)]
    [InlineData(WriteType.Through, PersistenceState.Persisted)]
    public async Task Write_types_leave_the_file_in_the_expected_persistence_state(WriteType writeType, PersistenceState expected)
    {
        string path = NewPath("state");
        var bytes = Bytes(BlockSize + 10, 9);

        await WriteAsync(path, bytes, writeType);

        var status = await fixture.Client.GetGrain<OrleansFs.Master.IMasterGrain>(0).GetStatus(path);
        Assert.Equal(expected, status.PersistenceState);
        string local = Path.Join(fixture.UnderStorageRoot, path);
        if (expected == PersistenceState.Persisted) Assert.Equal(bytes, File.ReadAllBytes(local));
        else Assert.False(File.Exists(local));
    }

    [Fact]
    public async Task THROUGH_keeps_nothing_in_worker_memory()
    {
        string path = NewPath("through");
        await WriteAsync(path, Bytes(2 * BlockSize, 3), WriteType.Through);

        var locations = await fixture.Files.GetBlockLocationsAsync(path);

        Assert.Equal(2, locations.Count);
        Assert.All(locations, l => Assert.Null(l.Location.Stored));
    }

    [Fact]
    public async Task ASYNC_THROUGH_persists_in_the_background()
    {
        string path = NewPath("async");
        var bytes = Bytes(2 * BlockSize + 5, 4);

        await WriteAsync(path, bytes, WriteType.AsyncThrough);

        var master = fixture.Client.GetGrain<OrleansFs.Master.IMasterGrain>(0);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await master.GetStatus(path)).PersistenceState != PersistenceState.Persisted && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        Assert.Equal(PersistenceState.Persisted, (await master.GetStatus(path)).PersistenceState);
        Assert.Equal(bytes, File.ReadAllBytes(Path.Join(fixture.UnderStorageRoot, path)));
        Assert.All(await fixture.Files.GetBlockLocationsAsync(path), l => Assert.True(l.Location.Stored!.Persisted));
    }

    [Fact]
    public async Task Positional_reads_and_seeks_return_the_bytes_at_that_offset()
    {
        string path = NewPath("seek");
        var bytes = Bytes(3 * BlockSize + 100, 5);
        await WriteAsync(path, bytes, WriteType.MustCache);

        foreach (bool shortCircuit in new[] { false, true })
        {
            await using var stream = await fixture.Files.OpenFileAsync(path, new OpenFileOptions { ShortCircuit = shortCircuit, DataEndpoint = false });
            var buffer = new byte[3000];
            foreach (long offset in new long[] { 2 * BlockSize + 7, 5, BlockSize - 1000, 3 * BlockSize + 50 })
            {
                int read = await stream.ReadAtAsync(offset, buffer);
                int expected = (int)Math.Min(buffer.Length, bytes.Length - offset);
                Assert.True(read > 0 && read <= expected);
                Assert.True(bytes.AsSpan((int)offset, read).SequenceEqual(buffer.AsSpan(0, read)));
            }
            stream.Seek(-10, SeekOrigin.End);
            var tail = new MemoryStream();
            await stream.CopyToAsync(tail);
            Assert.Equal(bytes[^10..], tail.ToArray());
            Assert.Equal(0, await stream.ReadAtAsync(bytes.Length, buffer));
        }
    }

    [Fact]
    public async Task A_256_MiB_file_round_trips_with_every_write_and_read_type()
    {
        const int size = 256 << 20;
        var bytes = Bytes(size, 256);
        var expected = SHA256.HashData(bytes);
        var readTypes = new[] { ReadType.Cache, ReadType.CachePromote, ReadType.NoCache };
        var writeTypes = Enum.GetValues<WriteType>();
        for (int w = 0; w < writeTypes.Length; w++)
        {
            string path = NewPath($"big-{writeTypes[w]}");
            await using (var stream = await fixture.Files.CreateFileAsync(path,
                             new CreateFileOptions { BlockSizeBytes = 64 << 20, WriteType = writeTypes[w] }))
                await stream.WriteAsync(bytes);
            // Every read type reads the whole file back; one of them (rotating) hashes all of it, the others
            // compare a 1 MiB window at the start, across each block boundary and at the end, to keep the
            // test's cost on a 2-core machine in bounds.
            for (int r = 0; r < readTypes.Length; r++)
            {
                await using var read = await fixture.Files.OpenFileAsync(path, new OpenFileOptions { ReadType = readTypes[r] });
                if (r == w % readTypes.Length)
                {
                    Assert.Equal(expected, await SHA256.HashDataAsync(read));
                    continue;
                }
                foreach (long offset in new long[] { 0, (64 << 20) - 512 * 1024, (128 << 20) - 1, (192 << 20) + 3, size - (1 << 20) })
                {
                    var window = new byte[1 << 20];
                    int filled = 0;
                    while (filled < window.Length)
                    {
                        int n = await read.ReadAtAsync(offset + filled, window.AsMemory(filled));
                        Assert.True(n > 0, $"{writeTypes[w]}/{readTypes[r]}: read ended early at {offset + filled}");
                        filled += n;
                    }
                    Assert.True(bytes.AsSpan((int)offset, window.Length).SequenceEqual(window), $"{writeTypes[w]}/{readTypes[r]} differs at {offset}");
                }
            }
            await fixture.Client.GetGrain<OrleansFs.Master.IMasterGrain>(0).Delete(path, false, Guid.NewGuid());
        }
    }

    [Fact]
    public async Task Opening_a_directory_or_a_missing_file_is_a_clear_error()
    {
        await fixture.Client.GetGrain<OrleansFs.Master.IMasterGrain>(0).CreateDirectory("/dir-open", true, Guid.NewGuid());

        Assert.Equal(FsErrorCode.IsADirectory, (await Assert.ThrowsAsync<FsException>(() => fixture.Files.OpenFileAsync("/dir-open"))).Code);
        Assert.Equal(FsErrorCode.NotFound, (await Assert.ThrowsAsync<FsException>(() => fixture.Files.OpenFileAsync("/no/such"))).Code);
        Assert.Equal(FsErrorCode.InvalidArgument,
            (await Assert.ThrowsAsync<FsException>(() => fixture.Files.CreateFileAsync("/bad-bs", new CreateFileOptions { BlockSizeBytes = 0 }))).Code);
    }
}
