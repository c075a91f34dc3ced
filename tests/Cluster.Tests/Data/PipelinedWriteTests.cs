using Microsoft.Extensions.DependencyInjection;
using OrleansFs.Blocks;
using OrleansFs.Blocks.DataTransfer;
using OrleansFs.Client.Streams;
using OrleansFs.Client.Streams.DataEndpoint;
using OrleansFs.Files;
using OrleansFs.Grains.Blocks.DataEndpoint;

namespace OrleansFs.Tests.Data;

/// <summary>
/// Writes through the data endpoints' pipelined path (short-circuit off): files of several blocks and odd sizes, cut into
/// writes of odd lengths, come back byte for byte while each block is sealed behind the next block's writes, every byte
/// crosses an endpoint once, and no write is left open on a worker. A worker that speaks only protocol version 2 (an
/// older release, which has no batched writes) still takes every byte through its endpoint, answered frame by frame.
/// </summary>
public sealed class PipelinedWriteTests(DataClusterFixture fixture) : IClassFixture<DataClusterFixture>
{
    private const int Chunk = BlockSidecar.ChunkBytes;
    private static int _next;

    private static string NewPath(string name) => $"/pipelined/{Interlocked.Increment(ref _next)}/{name}";

    private IEnumerable<DataEndpointServer> Servers => fixture.Cluster.GetActiveSilos()
        .Select(s => fixture.Cluster.GetSiloServiceProvider(s.SiloAddress).GetRequiredService<DataEndpointServer>());

    private long Received => Servers.Sum(s => s.Traffic.BytesReceived);

    private static async Task WriteAsync(FileDataClient files, string path, byte[] bytes, int blockSize, int piece)
    {
        await using var stream = await files.CreateFileAsync(path,
            new CreateFileOptions { BlockSizeBytes = blockSize, WriteType = WriteType.MustCache }, shortCircuit: false);
        for (int offset = 0; offset < bytes.Length; offset += piece)
            await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(piece, bytes.Length - offset)));
    }

    private async Task<byte[]> ReadAsync(string path)
    {
        await using var stream = await fixture.Files.OpenFileAsync(path, new OpenFileOptions { ShortCircuit = false });
        var result = new MemoryStream();
        await stream.CopyToAsync(result, 77_777);
        return result.ToArray();
    }

    public static TheoryData<int, int, int> SizesBlocksAndPieces() => new()
    {
        // size, block size, bytes per WriteAsync
        { 7 * Chunk + 12_345, 2 * Chunk, 333_333 },  // four blocks, the last short and ending mid-chunk
        { 6 * Chunk, 2 * Chunk, Chunk },              // blocks end exactly where the file does
        { 5 * Chunk - 1, Chunk, 3 * Chunk + 7 },      // one-chunk blocks, writes spanning several blocks
        { 9 * Chunk + 1, 3 * Chunk, 8 * Chunk },      // a last block of one byte
        { 1, 2 * Chunk, 1 },
    };

    [Theory]
    [MemberData(nameof(SizesBlocksAndPieces))]
    public async Task Files_of_several_blocks_and_odd_sizes_come_back_byte_for_byte(int size, int blockSize, int piece)
    {
        string path = NewPath($"{size}-{blockSize}-{piece}");
        var bytes = FileRoundTripTests.Bytes(size, size ^ piece);
        long received = Received;

        await WriteAsync(fixture.Files, path, bytes, blockSize, piece);

        Assert.Equal(size, Received - received);
        Assert.Equal(bytes, await ReadAsync(path));
        var status = await fixture.Client.GetGrain<OrleansFs.Master.IMasterGrain>(OrleansFs.Master.IMasterGrain.Key).GetStatus(path);
        Assert.True(status.Completed);
        Assert.Equal(size, status.Length);
        Assert.Equal((size + blockSize - 1) / blockSize, status.BlockIds.Count);
        foreach (var silo in fixture.Cluster.GetActiveSilos())
            Assert.All(status.BlockIds, id => Assert.Null(fixture.StoreOf(silo.SiloAddress).FindWriter(id)));
    }

    [Fact]
    public async Task A_worker_that_speaks_only_version_2_takes_the_chunks_as_answered_writes()
    {
        var servers = Servers.ToArray();
        foreach (var server in servers) server.ProtocolVersion = 2;
        try
        {
            // A pool of its own, so what it learns about these endpoints stays in this test.
            var pool = new DataConnectionPool();
            var files = new FileDataClient(fixture.Client, dataConnections: pool);
            string path = NewPath("old-worker");
            var bytes = FileRoundTripTests.Bytes(5 * Chunk + 777, 15);
            var before = servers.Select(s => s.Traffic.BytesReceived).ToArray();

            await WriteAsync(files, path, bytes, 2 * Chunk, 400_000);

            var took = servers.Where((s, i) => s.Traffic.BytesReceived > before[i]).ToArray();
            Assert.Equal(bytes.Length, servers.Select((s, i) => s.Traffic.BytesReceived - before[i]).Sum()); // through the endpoints, not the grains
            Assert.Equal(bytes, await ReadAsync(path));
            Assert.NotEmpty(took);
            Assert.All(took, s => Assert.False(pool.TakesBatchedWrites(s.Endpoint), $"{s.Endpoint} is still thought to take batched writes"));
        }
        finally
        {
            foreach (var server in servers) server.ProtocolVersion = DataFrameCodec.Version;
        }
    }
}
