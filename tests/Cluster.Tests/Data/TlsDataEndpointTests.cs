using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using OrleansFs.Blocks;
using OrleansFs.Blocks.DataTransfer;
using OrleansFs.Client.Streams;
using OrleansFs.Client.Streams.DataEndpoint;
using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Grains.Blocks.DataEndpoint;

namespace OrleansFs.Tests.Data;

/// <summary>
/// The data endpoints with <c>Security:Enabled</c>: files round trip over TLS, tokens that run out are renewed without
/// the caller noticing, and neither a plain-text peer, nor a client that does not trust the CA or has no client
/// certificate, nor a request without a valid token for its block gets a byte of a block or changes one.
/// </summary>
public sealed class TlsDataEndpointTests(TlsDataClusterFixture fixture) : IClassFixture<TlsDataClusterFixture>
{
    private const int Chunk = BlockSidecar.ChunkBytes;
    private static readonly TimeSpan PastTokenLifetime = TlsDataClusterFixture.TokenLifetime + TimeSpan.FromSeconds(1);
    private static int _next;

    private static string NewPath(string name) => $"/tls/{Interlocked.Increment(ref _next)}/{name}";

    private IEnumerable<DataEndpointServer> Servers => fixture.Cluster.GetActiveSilos()
        .Select(s => fixture.Cluster.GetSiloServiceProvider(s.SiloAddress).GetRequiredService<DataEndpointServer>());

    private long Sent => Servers.Sum(s => s.Traffic.BytesSent);
    private long Received => Servers.Sum(s => s.Traffic.BytesReceived);
    private long Connections => Servers.Sum(s => s.Traffic.Connections);

    private async Task WriteAsync(string path, byte[] bytes, int blockSize = 2 * Chunk)
    {
        await using var stream = await fixture.Files.CreateFileAsync(path,
            new CreateFileOptions { BlockSizeBytes = blockSize, WriteType = WriteType.MustCache }, shortCircuit: false);
        await stream.WriteAsync(bytes);
    }

    private async Task<byte[]> ReadAsync(string path, FileDataClient? files = null)
    {
        await using var stream = await (files ?? fixture.Files).OpenFileAsync(path, new OpenFileOptions { ShortCircuit = false });
        var result = new MemoryStream();
        await stream.CopyToAsync(result, 100_000);
        return result.ToArray();
    }

    /// <summary>The file's first block, where it is and a read token for it, as a reader gets them from its grain.</summary>
    private async Task<(BlockRef Block, BlockLocation Location)> LocateFirstBlockAsync(string path)
    {
        var block = (await fixture.Files.GetBlockLocationsAsync(path))[0].Block;
        return (block, await fixture.Client.GetGrain<IBlockGrain>(block.BlockId).Locate(block, ReadType.Cache));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(Chunk + 7)]
    [InlineData(5 * Chunk + 3)]
    public async Task Files_written_and_read_remotely_round_trip_over_TLS_through_the_data_endpoints(int size)
    {
        string path = NewPath($"round-{size}");
        var bytes = FileRoundTripTests.Bytes(size, size);
        long received = Received, sent = Sent;

        await WriteAsync(path, bytes);
        var read = await ReadAsync(path);

        Assert.Equal(bytes, read);
        Assert.Equal(size, Received - received);
        Assert.Equal(size, Sent - sent);
        Assert.All(Servers, s => Assert.True(s.Tls));
        Assert.True((await LocateFirstBlockAsync(path)).Location.DataEndpointTls);
    }

    [Fact]
    public async Task TLS_data_connections_are_pooled_so_reading_a_file_again_makes_no_new_handshake()
    {
        string path = NewPath("pooled");
        var bytes = FileRoundTripTests.Bytes(3 * Chunk, 13);
        await WriteAsync(path, bytes);
        Assert.Equal(bytes, await ReadAsync(path));
        long connections = Connections;

        for (int i = 0; i < 3; i++) Assert.Equal(bytes, await ReadAsync(path));

        Assert.Equal(connections, Connections);
    }

    [Fact]
    public async Task A_write_and_a_read_that_outlive_their_access_tokens_get_new_ones_without_the_caller_noticing()
    {
        string path = NewPath("slow");
        var bytes = FileRoundTripTests.Bytes(4 * Chunk, 3);
        long received = Received, sent = Sent;

        await using (var stream = await fixture.Files.CreateFileAsync(path,
                         new CreateFileOptions { BlockSizeBytes = 4 * Chunk, WriteType = WriteType.MustCache }, shortCircuit: false))
        {
            await stream.WriteAsync(bytes.AsMemory(0, 2 * Chunk));
            await Task.Delay(PastTokenLifetime);
            await stream.WriteAsync(bytes.AsMemory(2 * Chunk));
        }
        await using (var stream = await fixture.Files.OpenFileAsync(path, new OpenFileOptions { ShortCircuit = false }))
        {
            var head = new byte[1000];
            Assert.Equal(head.Length, await stream.ReadAtAsync(0, head));
            await Task.Delay(PastTokenLifetime);
            var tail = new byte[1000];
            Assert.Equal(tail.Length, await stream.ReadAtAsync(3 * Chunk, tail));
            Assert.Equal(bytes[..1000], head);
            Assert.Equal(bytes[(3 * Chunk)..(3 * Chunk + 1000)], tail);
        }

        // Every byte still went through the endpoints, not the grain fallback.
        Assert.Equal(bytes.Length, Received - received);
        Assert.Equal(2000, Sent - sent);
    }

    [Fact]
    public async Task A_plain_text_connection_to_a_TLS_data_port_gets_no_byte_of_a_block()
    {
        string path = NewPath("plain-peer");
        var bytes = FileRoundTripTests.Bytes(Chunk, 4);
        await WriteAsync(path, bytes);
        var (block, location) = await LocateFirstBlockAsync(path);
        long sent = Sent;

        // Even with a valid token: the frame is not a TLS handshake, so the endpoint never reads it as a request.
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPEndPoint.Parse(location.DataEndpoint));
        var request = new byte[DataFrameCodec.RequestBytes];
        DataFrameCodec.WriteRequest(request, new DataRequest(DataRequestKind.Read, block.BlockId, 0, Chunk, location.ReadToken));
        await socket.SendAsync(request);
        var answer = await ReceiveUntilClosedAsync(socket);

        Assert.True(answer.Length < 64, $"a plain-text peer got {answer.Length} bytes back");
        Assert.False(answer.AsSpan().IndexOf(bytes.AsSpan(0, 16)) >= 0);
        Assert.Equal(sent, Sent);
        Assert.Equal(bytes, await ReadAsync(path));
    }

    [Fact]
    public async Task Requests_with_no_token_an_expired_token_or_another_blocks_token_are_refused_and_the_block_is_unchanged()
    {
        string path = NewPath("tokens"), other = NewPath("tokens-other");
        var bytes = FileRoundTripTests.Bytes(Chunk, 5);
        await WriteAsync(path, bytes);
        await WriteAsync(other, FileRoundTripTests.Bytes(Chunk, 6));
        var expired = (await LocateFirstBlockAsync(path)).Location.ReadToken;
        await Task.Delay(PastTokenLifetime);
        var (block, location) = await LocateFirstBlockAsync(path);
        var (otherBlock, otherLocation) = await LocateFirstBlockAsync(other);
        long sent = Sent, received = Received;
        var evil = FileRoundTripTests.Bytes(Chunk, 7);

        var refusals = new List<string>();
        foreach (var token in new[] { default, expired, otherLocation.ReadToken })
            refusals.Add(await RefusedAsync(location.DataEndpoint, new DataRequest(DataRequestKind.Read, block.BlockId, 0, Chunk, token)));
        foreach (var token in new[] { default, location.ReadToken, otherLocation.ReadToken })
            refusals.Add(await RefusedAsync(location.DataEndpoint, new DataRequest(DataRequestKind.Write, block.BlockId, 0, Chunk, token), evil));

        Assert.Contains("no access token", refusals[0]);
        Assert.Contains("expired", refusals[1]);
        Assert.Contains("not valid for a read", refusals[2]);
        Assert.Contains("no access token", refusals[3]);
        Assert.All(refusals[4..], r => Assert.Contains("not valid for a write", r));
        Assert.Equal(sent, Sent);
        Assert.Equal(received, Received);
        Assert.Equal(bytes, await ReadAsync(path));
        Assert.NotEqual(block.BlockId, otherBlock.BlockId);
    }

    [Fact]
    public async Task A_chunk_without_the_write_token_does_not_land_in_a_write_in_progress()
    {
        var id = IBlockGrain.BlockIdOf(Random.Shared.NextInt64(1L << 30, 1L << 38), 0);
        var grain = fixture.Client.GetGrain<IBlockGrain>(id);
        var target = await grain.BeginWrite(new BlockWriteRequest { Path = "/tls/in-progress", CapacityBytes = Chunk });
        var (_, otherLocation) = await LocateFirstBlockAsync(await WrittenFileAsync());
        var bytes = FileRoundTripTests.Bytes(Chunk, 8);

        foreach (var token in new[] { default, otherLocation.ReadToken })
            await RefusedAsync(target.DataEndpoint, new DataRequest(DataRequestKind.Write, id, 0, Chunk, token), FileRoundTripTests.Bytes(Chunk, 9));
        var connection = await fixture.Connections.RentAsync(target.DataEndpoint, target.DataEndpointTls, default);
        await connection.SendAsync(new DataRequest(DataRequestKind.Write, id, 0, Chunk, target.WriteToken), bytes, default);
        await connection.ReceiveOkAsync(default);
        fixture.Connections.Return(connection);
        var stored = await grain.CompleteWrite();

        Assert.Equal(Chunk, stored.Length);
        Assert.Equal(bytes, await grain.Read(new BlockRef { BlockId = id, Path = "/tls/in-progress", Length = Chunk }, 0, Chunk, ReadType.Cache));
        await grain.Delete();
    }

    [Fact]
    public async Task A_client_that_does_not_trust_the_clusters_CA_is_refused_with_a_clear_error_naming_the_file()
    {
        string path = NewPath("untrusting");
        await WriteAsync(path, FileRoundTripTests.Bytes(1000, 10));
        long sent = Sent;
        var untrusting = new FileDataClient(fixture.Client, dataConnections: new DataConnectionPool(DataClientTls.Default));

        var error = await Assert.ThrowsAsync<FsException>(() => ReadAsync(path, untrusting));

        Assert.Equal(FsErrorCode.PermissionDenied, error.Code);
        Assert.Equal(path, error.Path);
        Assert.Contains("TLS", error.Message);
        Assert.Equal(sent, Sent);
    }

    [Fact]
    public async Task A_client_without_a_client_certificate_gets_no_byte_when_one_is_required()
    {
        string path = NewPath("no-client-cert");
        var bytes = FileRoundTripTests.Bytes(Chunk, 11);
        await WriteAsync(path, bytes);
        var (block, location) = await LocateFirstBlockAsync(path);
        long sent = Sent;
        var anonymous = new DataConnectionPool(fixture.ClientTls(certificatePath: null, keyPath: null));

        var error = await Record.ExceptionAsync(async () =>
        {
            using var connection = await anonymous.RentAsync(location.DataEndpoint, useTls: true, default);
            await connection.SendAsync(new DataRequest(DataRequestKind.Read, block.BlockId, 0, Chunk, location.ReadToken), default, default);
            await connection.ReceiveOkAsync(default);
        });

        Assert.NotNull(error);
        Assert.IsNotType<DataEndpointException>(error); // not an answer: the connection itself was refused
        Assert.Equal(sent, Sent);
    }

    private async Task<string> WrittenFileAsync()
    {
        string path = NewPath("other");
        await WriteAsync(path, FileRoundTripTests.Bytes(100, 12));
        return path;
    }

    /// <summary>Sends one request over TLS with a client certificate and returns the Forbidden answer's message.</summary>
    private async Task<string> RefusedAsync(string endpoint, DataRequest request, byte[]? payload = null)
    {
        var connection = await fixture.Connections.RentAsync(endpoint, useTls: true, default);
        try
        {
            await connection.SendAsync(request, payload, default);
            var refusal = await Assert.ThrowsAsync<DataEndpointException>(async () => await connection.ReceiveOkAsync(default));
            Assert.Equal(DataStatus.Forbidden, refusal.Status);
            return refusal.Message;
        }
        finally
        {
            fixture.Connections.Return(connection);
        }
    }

    private static async Task<byte[]> ReceiveUntilClosedAsync(Socket socket)
    {
        var all = new MemoryStream();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            int n;
            while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0) all.Write(buffer, 0, n);
        }
        catch (SocketException) { /* reset by the endpoint: closed */ }
        return all.ToArray();
    }
}
