using Microsoft.Extensions.DependencyInjection;
using OrleansFs.Blocks;
using OrleansFs.Client.Streams;
using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Grains.Blocks.DataEndpoint;
using OrleansFs.Master;

namespace OrleansFs.Tests.Data;

/// <summary>
/// Files through the workers' data endpoints, with short-circuit off so every byte crosses a socket: every
/// write type and read type and the edge sizes round trip, the bytes really go through the endpoints, a
/// damaged block file gives a checksum error, and an endpoint that went away falls back to the grains.
/// </summary>
public sealed class DataEndpointTests(DataClusterFixture fixture) : IClassFixture<DataClusterFixture>
{
    private const int BlockSize = BlockSidecar.ChunkBytes;
    private static int _next;

    private static string NewPath(string name) => $"/endpoint/{Interlocked.Increment(ref _next)}/{name}";

    private IEnumerable<DataEndpointServer> Servers => fixture.Cluster.GetActiveSilos()
        .Select(s => fixture.Cluster.GetSiloServiceProvider(s.SiloAddress).GetRequiredService<DataEndpointServer>());

    private long Sent => Servers.Sum(s => s.Traffic.BytesSent);
    private long Received => Servers.Sum(s => s.Traffic.BytesReceived);

    private async Task WriteAsync(string path, byte[] bytes, WriteType writeType, int blockSize = BlockSize)
    {
        await using var stream = await fixture.Files.CreateFileAsync(path,
            new CreateFileOptions { BlockSizeBytes = blockSize, WriteType = writeType }, shortCircuit: false);
        for (int offset = 0; offset < bytes.Length; offset += 100_000)
            await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(100_000, bytes.Length - offset)));
    }

    private async Task<byte[]> ReadAsync(string path, ReadType readType = ReadType.Cache)
    {
        await using var stream = await fixture.Files.OpenFileAsync(path, new OpenFileOptions { ReadType = readType, ShortCircuit = false });
        var result = new MemoryStream();
        await stream.CopyToAsync(result, 77_777);
        return result.ToArray();
    }

    [Theory]
    // The same sizes and write types as the grain-call path, here through the endpoint.
    [MemberData(nameof(FileRoundTripTests.SizesAndWriteTypes), MemberType = typeof(FileRoundTripTests))]
    public async Task Every_size_and_write_type_round_trips_through_the_endpoints(int size, WriteType writeType)
    {
        string path = NewPath($"{size}-{writeType}");
        var bytes = FileRoundTripTests.Bytes(size, size + 1);
        long received = Received;

        await WriteAsync(path, bytes, writeType);

        // THROUGH goes to the under-storage only; every other write type sends each byte to an endpoint once.
        Assert.Equal(writeType == WriteType.Through ? 0 : size, Received - received);
        foreach (var readType in new[] { ReadType.NoCache, ReadType.Cache, ReadType.CachePromote })
        {
            long sent = Sent;
            var read = await ReadAsync(path, readType);
            Assert.True(bytes.AsSpan().SequenceEqual(read), $"{writeType} file of {size} bytes read with {readType} differs");
            // NO_CACHE of a THROUGH file reads the under-storage through the grain; after that the file is cached.
            bool viaEndpoint = !(writeType == WriteType.Through && readType == ReadType.NoCache);
            Assert.True((viaEndpoint ? size : 0) == Sent - sent, $"{readType}: {Sent - sent} bytes sent by the endpoints, expected {(viaEndpoint ? size : 0)}");
        }
    }

    [Fact]
    public async Task Positional_reads_and_seeks_through_the_endpoints_return_the_bytes_at_that_offset()
    {
        string path = NewPath("seek");
        var bytes = FileRoundTripTests.Bytes(3 * BlockSize + 100, 5);
        await WriteAsync(path, bytes, WriteType.MustCache);
        await using var stream = await fixture.Files.OpenFileAsync(path, new OpenFileOptions { ShortCircuit = false });
        var buffer = new byte[3000];

        foreach (long offset in new long[] { 2 * BlockSize + 7, 5, BlockSize - 1000, 3 * BlockSize + 50, 6 })
        {
            int read = await stream.ReadAtAsync(offset, buffer);
            Assert.InRange(read, 1, Math.Min(buffer.Length, bytes.Length - offset));
            Assert.True(bytes.AsSpan((int)offset, read).SequenceEqual(buffer.AsSpan(0, read)), $"differs at {offset}");
        }
        stream.Seek(BlockSize - 10, SeekOrigin.Begin);
        var middle = new byte[20];
        await stream.ReadExactlyAsync(middle);
        Assert.Equal(bytes[(BlockSize - 10)..(BlockSize + 10)], middle);
        stream.Seek(-10, SeekOrigin.End);
        var tail = new MemoryStream();
        await stream.CopyToAsync(tail);
        Assert.Equal(bytes[^10..], tail.ToArray());
    }

    [Fact]
    public async Task Many_readers_at_once_share_the_pooled_connections_and_all_get_their_bytes()
    {
        var files = Enumerable.Range(0, 6).Select(i => (Path: NewPath($"many-{i}"), Bytes: FileRoundTripTests.Bytes(2 * BlockSize + i, 40 + i))).ToArray();
        foreach (var (path, bytes) in files) await WriteAsync(path, bytes, WriteType.MustCache);

        var reads = await Task.WhenAll(files.Concat(files).Select(f => ReadAsync(f.Path)));

        for (int i = 0; i < reads.Length; i++) Assert.Equal(files[i % files.Length].Bytes, reads[i]);
    }

    [Fact]
    public async Task A_corrupted_byte_in_a_block_file_is_a_checksum_error_naming_the_file_not_wrong_bytes()
    {
        string path = NewPath("corrupt");
        var bytes = FileRoundTripTests.Bytes(2 * BlockSize, 7);
        await WriteAsync(path, bytes, WriteType.MustCache, blockSize: 2 * BlockSize);
        var location = (await fixture.Files.GetBlockLocationsAsync(path)).Single().Location;
        using (var file = File.OpenHandle(location.Stored!.DataPath, FileMode.Open, FileAccess.ReadWrite))
            RandomAccess.Write(file, new[] { (byte)(bytes[BlockSize + 5] ^ 0x01) }, BlockSize + 5);
        await using var stream = await fixture.Files.OpenFileAsync(path, new OpenFileOptions { ShortCircuit = false });
        var buffer = new byte[BlockSize];

        await stream.ReadExactlyAsync(buffer); // the first chunk is intact
        Assert.Equal(bytes[..BlockSize], buffer);
        var error = await Assert.ThrowsAsync<FsException>(async () => await stream.ReadExactlyAsync(buffer));

        Assert.Equal(FsErrorCode.ChecksumMismatch, error.Code);
        Assert.Equal(path, error.Path);
        Assert.Contains("checksum", error.Message);
    }

    [Fact]
    public async Task A_CACHE_THROUGH_block_damaged_in_memory_reads_right_again_from_the_under_storage()
    {
        string path = NewPath("corrupt-persisted");
        var bytes = FileRoundTripTests.Bytes(BlockSize + 9, 8);
        await WriteAsync(path, bytes, WriteType.CacheThrough, blockSize: 4 * BlockSize);
        var location = (await fixture.Files.GetBlockLocationsAsync(path)).Single().Location;
        using (var file = File.OpenHandle(location.Stored!.DataPath, FileMode.Open, FileAccess.ReadWrite))
            RandomAccess.Write(file, new[] { (byte)(bytes[3] ^ 0xFF) }, 3);

        await Assert.ThrowsAsync<FsException>(() => ReadAsync(path));

        Assert.Equal(bytes, await ReadAsync(path)); // the damaged copy was dropped and reloaded
    }

    [Fact]
    public async Task When_the_endpoint_is_gone_reads_and_writes_fall_back_to_the_grains()
    {
        string path = NewPath("fallback");
        var bytes = FileRoundTripTests.Bytes(3 * BlockSize + 1, 9);
        await WriteAsync(path, bytes, WriteType.MustCache);
        await using var stream = await fixture.Files.OpenFileAsync(path, new OpenFileOptions { ShortCircuit = false });
        var first = new byte[1000];
        await stream.ReadExactlyAsync(first);
        var servers = Servers.ToArray();
        foreach (var server in servers) await server.StopAsync(default);
        try
        {
            long sent = Sent;
            var rest = new MemoryStream();
            await stream.CopyToAsync(rest);
            Assert.Equal(bytes, first.Concat(rest.ToArray()).ToArray());

            string written = NewPath("fallback-write");
            await WriteAsync(written, bytes, WriteType.MustCache);
            Assert.Equal(bytes, await ReadAsync(written));
            Assert.Equal(sent, Sent); // nothing went through an endpoint
        }
        finally
        {
            foreach (var server in servers) await server.StartAsync(default);
        }
    }

    [Fact]
    public async Task A_read_that_loses_its_connection_mid_block_resumes_at_the_right_offset_with_the_right_bytes()
    {
        string path = NewPath("resume");
        // A block larger than the socket buffers hold, so the worker cannot have sent all of it before its endpoint restarts.
        var bytes = FileRoundTripTests.Bytes(32 * BlockSize, 11);
        await WriteAsync(path, bytes, WriteType.MustCache, blockSize: 32 * BlockSize);
        await using var stream = await fixture.Files.OpenFileAsync(path, new OpenFileOptions { ShortCircuit = false });
        // Mid-block and mid-frame: the worker has streamed ahead of the reader when its endpoint restarts.
        var head = new byte[BlockSize + BlockSize / 2 + 3];
        await stream.ReadExactlyAsync(head);
        string endpoint = (await fixture.Files.GetBlockLocationsAsync(path)).Single().Location.DataEndpoint;
        var server = Servers.Single(s => s.Endpoint == endpoint);
        await server.StopAsync(default); // closes every data connection, the reader's included
        await server.StartAsync(default);
        long sent = server.Traffic.BytesSent, connections = server.Traffic.Connections;

        var rest = new MemoryStream();
        await stream.CopyToAsync(rest, 100_000);

        Assert.Equal(bytes, head.Concat(rest.ToArray()).ToArray());
        // The rest came from the same endpoint on a new connection, asked for from where the reader was (after what
        // had already reached its socket), not from the start of the block: any other offset would have given other bytes.
        Assert.Equal(connections + 1, server.Traffic.Connections);
        Assert.InRange(server.Traffic.BytesSent - sent, 1, bytes.Length - head.Length);
    }

    [Fact]
    public async Task Block_locations_name_the_data_endpoint_of_the_silo_holding_the_block()
    {
        string path = NewPath("location");
        await WriteAsync(path, FileRoundTripTests.Bytes(2 * BlockSize, 10), WriteType.MustCache);
        var endpoints = Servers.Select(s => s.Endpoint).ToHashSet();

        var locations = await fixture.Files.GetBlockLocationsAsync(path);

        Assert.All(locations, l => Assert.Contains(l.Location.DataEndpoint, endpoints));
    }
}
