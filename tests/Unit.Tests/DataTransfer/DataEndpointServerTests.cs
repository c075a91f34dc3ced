using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using OrleansFs.Blocks;
using OrleansFs.Blocks.DataTransfer;
using OrleansFs.Grains.Blocks;
using OrleansFs.Grains.Blocks.DataEndpoint;
using OrleansFs.TestSupport;

namespace OrleansFs.Tests.DataTransfer;

/// <summary>
/// A worker's data endpoint over a real loopback socket and a real block store in a temp directory: bytes
/// move only for blocks that are stored or being written, every bad request gets a specific error frame,
/// and nothing hangs.
/// </summary>
public sealed class DataEndpointServerTests : IAsyncLifetime
{
    private const int Chunk = BlockSidecar.ChunkBytes;
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(1);
    private readonly TempDirectory _temp = new("ofs-endpoint");
    private readonly AccessTokenKey _key = AccessTokenKey.Random();
    private BlockStore _store = null!;
    private BlockAccessTokens _tokens = null!;
    private DataEndpointServer _server = null!;

    public async Task InitializeAsync()
    {
        var worker = Options.Create(new WorkerOptions { MemoryDirectory = _temp.Combine("mem"), MemoryBytes = 64L * Chunk, DataIdleTimeout = IdleTimeout });
        _store = new BlockStore(worker, NullLogger<BlockStore>.Instance);
        _tokens = new BlockAccessTokens(_key, TimeSpan.FromMinutes(5));
        _server = new DataEndpointServer(_store, _tokens, worker, Options.Create(new EndpointOptions { AdvertisedIPAddress = IPAddress.Loopback }),
            NullLogger<DataEndpointServer>.Instance);
        await _server.StartAsync(default);
    }

    public async Task DisposeAsync()
    {
        await _server.StopAsync(default);
        _temp.Dispose();
    }

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private void Put(long id, byte[] bytes)
    {
        using var writer = _store.BeginWrite(id, bytes.Length, pinned: false, persisted: false);
        for (int offset = 0; offset < bytes.Length; offset += Chunk)
            writer.Write(offset, bytes.AsSpan(offset, Math.Min(Chunk, bytes.Length - offset)));
        writer.Commit();
    }

    private async Task<Socket> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPEndPoint.Parse(_server.Endpoint));
        return socket;
    }

    /// <summary>Sends a request frame with a valid token for its block and kind, unless it carries one already.</summary>
    private Task SendAsync(Socket socket, DataRequest request, byte[]? payload = null) =>
        SendUnsignedAsync(socket, request.Token.IsNone ? request with { Token = _tokens.Issue(request.BlockId, request.Kind) } : request, payload);

    private static async Task SendUnsignedAsync(Socket socket, DataRequest request, byte[]? payload = null)
    {
        var header = new byte[DataFrameCodec.RequestBytes];
        DataFrameCodec.WriteRequest(header, request);
        await socket.SendAsync(header);
        if (payload is not null) await socket.SendAsync(payload);
    }

    private static async Task<byte[]> ReceiveAsync(Socket socket, int count)
    {
        var bytes = new byte[count];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        for (int filled = 0; filled < count;)
        {
            int n = await socket.ReceiveAsync(bytes.AsMemory(filled), SocketFlags.None, timeout.Token);
            if (n == 0) throw new IOException($"closed after {filled} of {count} bytes");
            filled += n;
        }
        return bytes;
    }

    private static async Task<(DataStatus Status, byte[] Payload)> ReceiveFrameAsync(Socket socket)
    {
        var header = await ReceiveAsync(socket, DataFrameCodec.ResponseBytes);
        Assert.True(DataFrameCodec.TryReadResponse(header, out var response, out string error), error);
        return (response.Status, await ReceiveAsync(socket, response.Length));
    }

    private static async Task<string> ReceiveErrorAsync(Socket socket, DataStatus expected)
    {
        var (status, payload) = await ReceiveFrameAsync(socket);
        Assert.Equal(expected, status);
        return Encoding.UTF8.GetString(payload);
    }

    /// <summary>True when the server closed the connection within <paramref name="within"/>.</summary>
    private static async Task<bool> ClosedAsync(Socket socket, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try { return await socket.ReceiveAsync(new byte[1], SocketFlags.None, timeout.Token) == 0; }
        catch (SocketException) { return true; }
        catch (OperationCanceledException) { return false; }
    }

    [Fact]
    public async Task A_read_streams_verified_chunks_that_add_up_to_the_range()
    {
        var bytes = Bytes(2 * Chunk + 300, 1);
        Put(11, bytes);
        using var socket = await ConnectAsync();

        await SendAsync(socket, new DataRequest(DataRequestKind.Read, 11, 1000, bytes.Length - 1000));
        var received = new MemoryStream();
        while (received.Length < bytes.Length - 1000)
        {
            var (status, payload) = await ReceiveFrameAsync(socket);
            Assert.Equal(DataStatus.Ok, status);
            Assert.InRange(payload.Length, 1, Chunk);
            received.Write(payload);
        }

        Assert.Equal(bytes[1000..], received.ToArray());
        Assert.Equal(bytes.Length - 1000, _server.Traffic.BytesSent);
    }

    [Fact]
    public async Task Chunks_written_to_a_begun_write_are_what_the_commit_stores()
    {
        var bytes = Bytes(Chunk + 77, 2);
        var writer = _store.BeginWrite(12, 2 * Chunk, pinned: false, persisted: false);
        using var socket = await ConnectAsync();

        // Out of order, as a client with several chunks in flight may send them.
        await SendAsync(socket, new DataRequest(DataRequestKind.Write, 12, Chunk, 77), bytes[Chunk..]);
        Assert.Equal(DataStatus.Ok, (await ReceiveFrameAsync(socket)).Status);
        await SendAsync(socket, new DataRequest(DataRequestKind.Write, 12, 0, Chunk), bytes[..Chunk]);
        Assert.Equal(DataStatus.Ok, (await ReceiveFrameAsync(socket)).Status);
        var info = writer.Commit();

        Assert.Equal(bytes.Length, info.Length);
        Assert.Equal(bytes, File.ReadAllBytes(info.DataPath));
        Assert.Equal(bytes.Length, _server.Traffic.BytesReceived);
    }

    [Fact]
    public async Task Reading_an_unknown_block_is_a_clear_error_and_the_connection_stays_usable()
    {
        Put(13, Bytes(100, 3));
        using var socket = await ConnectAsync();

        await SendAsync(socket, new DataRequest(DataRequestKind.Read, 999, 0, 10));
        Assert.Contains("block 999 is not stored", await ReceiveErrorAsync(socket, DataStatus.UnknownBlock));

        await SendAsync(socket, new DataRequest(DataRequestKind.Read, 13, 0, 100));
        Assert.Equal(DataStatus.Ok, (await ReceiveFrameAsync(socket)).Status);
    }

    [Theory]
    [InlineData(0L, 101)]
    [InlineData(100L, 1)]
    [InlineData(5000L, 10)]
    public async Task Reading_outside_the_block_is_refused(long offset, int count)
    {
        Put(14, Bytes(100, 4));
        using var socket = await ConnectAsync();

        await SendAsync(socket, new DataRequest(DataRequestKind.Read, 14, offset, count));

        Assert.Contains("outside block 14 of 100 bytes", await ReceiveErrorAsync(socket, DataStatus.OutOfRange));
        Assert.Equal(0, _server.Traffic.BytesSent);
    }

    [Fact]
    public async Task Writing_a_block_whose_write_was_not_begun_is_refused_and_stores_nothing()
    {
        Put(15, Bytes(100, 5));
        using var socket = await ConnectAsync();

        await SendAsync(socket, new DataRequest(DataRequestKind.Write, 16, 0, 1000), Bytes(1000, 6));
        Assert.Contains("no write in progress", await ReceiveErrorAsync(socket, DataStatus.WriteNotBegun));
        // A stored block is not writable either; the payload was consumed, so the connection is still in step.
        await SendAsync(socket, new DataRequest(DataRequestKind.Write, 15, 0, 100), Bytes(100, 7));
        await ReceiveErrorAsync(socket, DataStatus.WriteNotBegun);

        Assert.Null(_store.GetInfo(16));
        Assert.Equal(Bytes(100, 5), File.ReadAllBytes(_store.GetInfo(15)!.DataPath));
        Assert.Equal(0, _server.Traffic.BytesReceived);
    }

    [Fact]
    public async Task A_write_past_the_memory_tier_is_a_no_space_error()
    {
        var writer = _store.BeginWrite(17, Chunk, pinned: false, persisted: false);
        using var socket = await ConnectAsync();

        await SendAsync(socket, new DataRequest(DataRequestKind.Write, 17, 64L * Chunk, Chunk), Bytes(Chunk, 8));

        Assert.Contains("no space", await ReceiveErrorAsync(socket, DataStatus.NoSpace));
        writer.Dispose();
    }

    [Fact]
    public async Task A_malformed_frame_gets_a_bad_request_answer_and_the_connection_is_closed()
    {
        using var socket = await ConnectAsync();
        var garbage = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");

        await socket.SendAsync(garbage);

        Assert.Contains("bad magic", await ReceiveErrorAsync(socket, DataStatus.BadRequest));
        Assert.True(await ClosedAsync(socket, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_corrupted_block_file_gives_a_checksum_error_never_its_bytes()
    {
        var bytes = Bytes(Chunk + 10, 9);
        Put(18, bytes);
        string dataPath = _store.GetInfo(18)!.DataPath;
        using (var file = File.OpenHandle(dataPath, FileMode.Open, FileAccess.ReadWrite))
            RandomAccess.Write(file, new[] { (byte)(bytes[Chunk + 3] ^ 0x10) }, Chunk + 3);
        using var socket = await ConnectAsync();

        await SendAsync(socket, new DataRequest(DataRequestKind.Read, 18, 0, bytes.Length));

        // The first chunk is intact and may be sent; the damaged second one never is.
        var (status, payload) = await ReceiveFrameAsync(socket);
        Assert.Equal(DataStatus.Ok, status);
        Assert.Equal(bytes[..Chunk], payload);
        Assert.Contains("chunk 1 does not match its checksum", await ReceiveErrorAsync(socket, DataStatus.ChecksumMismatch));
        Assert.Null(_store.GetInfo(18)); // dropped, so its grain reloads it or reports it lost
    }

    [Fact]
    public async Task An_idle_connection_is_closed_after_the_timeout()
    {
        using var socket = await ConnectAsync();

        Assert.True(await ClosedAsync(socket, IdleTimeout * 5));
    }

    [Fact]
    public async Task A_connection_stalled_inside_a_frame_is_closed_not_left_hanging()
    {
        var writer = _store.BeginWrite(19, Chunk, pinned: false, persisted: false);
        using var socket = await ConnectAsync();

        // A header promising 1000 bytes, then only 10 of them.
        await SendAsync(socket, new DataRequest(DataRequestKind.Write, 19, 0, 1000), Bytes(10, 10));

        Assert.True(await ClosedAsync(socket, IdleTimeout * 5));
        Assert.Equal(0, writer.Length);
        writer.Dispose();
    }

    [Fact]
    public async Task A_read_without_a_token_or_with_a_token_for_another_block_or_for_writing_gets_no_byte()
    {
        Put(20, Bytes(5000, 11));
        Put(21, Bytes(5000, 12));
        using var socket = await ConnectAsync();

        await SendUnsignedAsync(socket, new DataRequest(DataRequestKind.Read, 20, 0, 5000));
        Assert.Contains("carries no access token", await ReceiveErrorAsync(socket, DataStatus.Forbidden));
        await SendUnsignedAsync(socket, new DataRequest(DataRequestKind.Read, 20, 0, 5000, _tokens.Issue(21, DataRequestKind.Read)));
        Assert.Contains("not valid for a read of block 20", await ReceiveErrorAsync(socket, DataStatus.Forbidden));
        await SendUnsignedAsync(socket, new DataRequest(DataRequestKind.Read, 20, 0, 5000, _tokens.Issue(20, DataRequestKind.Write)));
        Assert.Contains("not valid for a read of block 20", await ReceiveErrorAsync(socket, DataStatus.Forbidden));
        Assert.Equal(0, _server.Traffic.BytesSent);

        // Refusals leave the connection in step: the same connection with the right token reads the block.
        await SendAsync(socket, new DataRequest(DataRequestKind.Read, 20, 0, 5000));
        var (status, payload) = await ReceiveFrameAsync(socket);
        Assert.Equal(DataStatus.Ok, status);
        Assert.Equal(Bytes(5000, 11), payload);
    }

    [Fact]
    public async Task An_expired_token_or_one_made_with_another_key_is_refused()
    {
        Put(22, Bytes(100, 13));
        var anHourAgo = new BlockAccessTokens(_key, TimeSpan.FromMinutes(5), new ShiftedClock(TimeSpan.FromHours(-1)));
        var otherKey = new BlockAccessTokens(AccessTokenKey.Random(), TimeSpan.FromMinutes(5));
        using var socket = await ConnectAsync();

        await SendUnsignedAsync(socket, new DataRequest(DataRequestKind.Read, 22, 0, 100, anHourAgo.Issue(22, DataRequestKind.Read)));
        Assert.Contains("expired", await ReceiveErrorAsync(socket, DataStatus.Forbidden));
        await SendUnsignedAsync(socket, new DataRequest(DataRequestKind.Read, 22, 0, 100, otherKey.Issue(22, DataRequestKind.Read)));
        Assert.Contains("not valid", await ReceiveErrorAsync(socket, DataStatus.Forbidden));
        // A forged expiry on a real token does not match its MAC.
        var real = _tokens.Issue(22, DataRequestKind.Read);
        await SendUnsignedAsync(socket, new DataRequest(DataRequestKind.Read, 22, 0, 100, real with { ExpiresUnixMs = real.ExpiresUnixMs + 60_000 }));
        Assert.Contains("not valid", await ReceiveErrorAsync(socket, DataStatus.Forbidden));

        Assert.Equal(0, _server.Traffic.BytesSent);
    }

    [Fact]
    public async Task A_chunk_without_a_valid_write_token_changes_nothing_in_a_write_in_progress()
    {
        var bytes = Bytes(Chunk, 14);
        var writer = _store.BeginWrite(23, Chunk, pinned: false, persisted: false);
        var anHourAgo = new BlockAccessTokens(_key, TimeSpan.FromMinutes(5), new ShiftedClock(TimeSpan.FromHours(-1)));
        using var socket = await ConnectAsync();
        await SendAsync(socket, new DataRequest(DataRequestKind.Write, 23, 0, Chunk), bytes);
        Assert.Equal(DataStatus.Ok, (await ReceiveFrameAsync(socket)).Status);

        var evil = Bytes(Chunk, 15);
        foreach (var token in new[] { default, _tokens.Issue(24, DataRequestKind.Write), _tokens.Issue(23, DataRequestKind.Read), anHourAgo.Issue(23, DataRequestKind.Write) })
        {
            await SendUnsignedAsync(socket, new DataRequest(DataRequestKind.Write, 23, 0, Chunk, token), evil);
            await ReceiveErrorAsync(socket, DataStatus.Forbidden);
        }
        var info = writer.Commit();

        Assert.Equal(bytes, File.ReadAllBytes(info.DataPath));
        Assert.Equal(Chunk, _server.Traffic.BytesReceived);
    }

    private sealed class ShiftedClock(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + shift;
    }
}
