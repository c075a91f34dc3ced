using Microsoft.Extensions.DependencyInjection;
using OrleansFs.Blocks;
using OrleansFs.Blocks.DataTransfer;
using OrleansFs.Client.Streams;
using OrleansFs.Client.Streams.DataEndpoint;
using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Grains.Blocks.DataEndpoint;
using OrleansFs.TestSupport.Files;

namespace OrleansFs.Tests.Data;

/// <summary>
/// Confirmed reads over plain TCP: a block its worker verified is sent from its file with sendfile, and each frame is
/// handed to the reader only after the worker confirmed the file did not change while it was sent. The bytes are
/// exact across blocks, odd sizes, seeks and small or large reader buffers; a stream disposed mid-read closes its
/// connection; a block file changed behind the worker's back is never confirmed as good.
/// </summary>
public sealed class SendFileReadTests(SendFileClusterFixture fixture) : IClassFixture<SendFileClusterFixture>
{
    private const int Chunk = BlockSidecar.ChunkBytes;
    private const int BlockSize = 4 * Chunk;
    private static int _next;

    private static string NewPath(string name) => $"/sendfile/{Interlocked.Increment(ref _next)}/{name}";

    private IEnumerable<DataEndpointServer> Servers => fixture.Cluster.GetActiveSilos()
        .Select(s => fixture.Cluster.GetSiloServiceProvider(s.SiloAddress).GetRequiredService<DataEndpointServer>());

    private long SentFromFile => Servers.Sum(s => s.Traffic.BytesSentFromFile);
    private int OpenConnections => Servers.Sum(s => s.OpenConnections);

    /// <summary>
    /// The open connections once earlier tests' streams have finished closing theirs (a worker drops a connection only
    /// when its handler ends, a moment after the client closed it): unchanged for half a second.
    /// </summary>
    private async Task<int> SettledConnectionsAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        int seen = OpenConnections;
        var stableSince = DateTime.UtcNow;
        while (DateTime.UtcNow - stableSince < TimeSpan.FromMilliseconds(500) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            if (OpenConnections != seen) (seen, stableSince) = (OpenConnections, DateTime.UtcNow);
        }
        return seen;
    }

    private async Task<byte[]> WriteAsync(string path, int size, int seed, int blockSize = BlockSize)
    {
        var bytes = FileRoundTripTests.Bytes(size, seed);
        await using var stream = await fixture.Files.CreateFileAsync(path,
            new CreateFileOptions { BlockSizeBytes = blockSize, WriteType = WriteType.MustCache }, shortCircuit: false);
        await stream.WriteAsync(bytes);
        return bytes;
    }

    private Task<FileInStream> OpenAsync(string path, FileDataClient? files = null) =>
        (files ?? fixture.Files).OpenFileAsync(path, new OpenFileOptions { ShortCircuit = false });

    private async Task<byte[]> ReadAllAsync(string path, int bufferBytes)
    {
        await using var stream = await OpenAsync(path);
        var result = new MemoryStream();
        var buffer = new byte[bufferBytes];
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0) result.Write(buffer, 0, n);
        return result.ToArray();
    }

    [Theory]
    [InlineData(Chunk)]      // the reader's buffer takes whole frames
    [InlineData(77_777)]     // frames are held and handed out in pieces
    [InlineData(3 * Chunk + 5)]
    public async Task Several_blocks_of_odd_sizes_come_back_exact_and_go_out_with_sendfile(int bufferBytes)
    {
        string path = NewPath($"blocks-{bufferBytes}");
        var bytes = await WriteAsync(path, 2 * BlockSize + 3 * Chunk + 4321, bufferBytes);
        long fromFile = SentFromFile;

        Assert.Equal(bytes, await ReadAllAsync(path, bufferBytes));

        Assert.Equal(bytes.Length, SentFromFile - fromFile); // every byte from the block files, none read and copied
    }

    [Fact]
    public async Task A_seek_into_the_middle_of_a_block_and_positional_reads_return_the_bytes_there()
    {
        string path = NewPath("seek");
        var bytes = await WriteAsync(path, 3 * BlockSize - 999, 7);
        await using var stream = await OpenAsync(path);
        var buffer = new byte[Chunk + 10];

        stream.Seek(BlockSize + Chunk + 333, SeekOrigin.Begin);
        int total = 0;
        var got = new MemoryStream();
        while (total < 3 * Chunk)
        {
            int n = await stream.ReadAsync(buffer);
            got.Write(buffer, 0, n);
            total += n;
        }
        Assert.Equal(bytes.AsSpan(BlockSize + Chunk + 333, total).ToArray(), got.ToArray());

        stream.Seek(17, SeekOrigin.Begin); // back into the first block, mid-chunk
        int read = await stream.ReadAsync(buffer);
        Assert.Equal(bytes.AsSpan(17, read).ToArray(), buffer.AsSpan(0, read).ToArray());

        var at = new byte[2 * Chunk];
        int positional = await stream.ReadAtAsync(2 * BlockSize - Chunk, at);
        Assert.Equal(bytes.AsSpan(2 * BlockSize - Chunk, positional).ToArray(), at.AsSpan(0, positional).ToArray());
    }

    [Fact]
    public async Task A_stream_disposed_in_the_middle_of_a_block_closes_its_connection()
    {
        string path = NewPath("dispose");
        var bytes = await WriteAsync(path, 2 * BlockSize, 8);
        var files = new FileDataClient(fixture.Client, dataConnections: new DataConnectionPool());
        int before = await SettledConnectionsAsync();

        var stream = await OpenAsync(path, files);
        var buffer = new byte[Chunk];
        Assert.Equal(Chunk, await stream.ReadAsync(buffer));
        Assert.Equal(bytes.AsSpan(0, Chunk).ToArray(), buffer);
        Assert.True(OpenConnections > before); // the rest of the block is streaming, and the next block's ahead of it
        await stream.DisposeAsync();

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (OpenConnections > before && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal(before, OpenConnections); // closed, not kept in the pool half-read
    }

    [Fact]
    public async Task The_next_block_streams_while_the_reader_is_still_in_the_current_one()
    {
        const int blockSize = 2 * Chunk; // fits the socket buffers, so the worker sends all of it at once
        string path = NewPath("read-ahead");
        var bytes = await WriteAsync(path, 3 * blockSize, 11, blockSize);
        long sent = Servers.Sum(s => s.Traffic.BytesSent);
        await using var stream = await OpenAsync(path, new FileDataClient(fixture.Client, dataConnections: new DataConnectionPool()));
        var buffer = new byte[Chunk];

        Assert.Equal(Chunk, await stream.ReadAsync(buffer)); // the first half of the first block

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (Servers.Sum(s => s.Traffic.BytesSent) - sent <= blockSize && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.True(Servers.Sum(s => s.Traffic.BytesSent) - sent > blockSize, "bytes of the second block were sent before it was read");
        Assert.True(Servers.Sum(s => s.Traffic.BytesSent) - sent <= 2 * blockSize, "only one block ahead");
        var rest = new MemoryStream();
        rest.Write(buffer);
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0) rest.Write(buffer, 0, n);
        Assert.Equal(bytes, rest.ToArray());
    }

    [Fact]
    public async Task A_block_flipped_behind_the_workers_back_is_not_sent_from_its_file_and_not_served()
    {
        string path = NewPath("flipped");
        var bytes = await WriteAsync(path, Chunk + 4321, 9);
        Assert.Equal(bytes, await ReadAllAsync(path, Chunk)); // trusted: sent from the file
        var stored = (await fixture.Files.GetBlockLocationsAsync(path)).Single().Location.Stored!;
        long fromFile = SentFromFile;

        FileDamage.FlipByte(stored.DataPath, 100);

        var error = await Assert.ThrowsAsync<FsException>(() => ReadAllAsync(path, Chunk));
        Assert.Equal(FsErrorCode.ChecksumMismatch, error.Code);
        Assert.Equal(fromFile, SentFromFile);
    }

    [Fact]
    public async Task A_frame_whose_block_file_changed_while_it_was_sent_is_not_confirmed()
    {
        const int blockSize = 48 * Chunk; // more than the socket buffers hold, so the worker is mid-send when the file changes
        string path = NewPath("changed-while-sent");
        var bytes = await WriteAsync(path, blockSize, 10, blockSize);
        var placement = (await fixture.Files.GetBlockLocationsAsync(path)).Single();
        var (block, stored) = (placement.Block, placement.Location.Stored!);
        var location = await fixture.Client.GetGrain<IBlockGrain>(block.BlockId).Locate(block, ReadType.Cache);
        long fromFile = SentFromFile;
        using var connection = await DataConnection.ConnectAsync(location.DataEndpoint, tls: null, default);
        await connection.SendAsync(new DataRequest(DataRequestKind.ReadConfirmed, block.BlockId, 0, blockSize, location.ReadToken), default, default);
        // The worker sends from the file, fills the socket buffers and waits in the middle of a later frame.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (SentFromFile - fromFile <= Chunk && DateTime.UtcNow < deadline) await Task.Delay(20);
        await Task.Delay(300);

        FileDamage.FlipByte(stored.DataPath, blockSize - 10); // in the last chunk, not yet sent

        var frame = new byte[Chunk];
        int confirmed = 0;
        var failure = await Record.ExceptionAsync(async () =>
        {
            while (confirmed < blockSize / Chunk)
            {
                int length = await connection.ReceiveOkAsync(default);
                await connection.ReceiveAsync(frame.AsMemory(0, length), default);
                await connection.ReceiveConfirmAsync(default);
                Assert.Equal(bytes.AsSpan(confirmed * Chunk, length).ToArray(), frame.AsSpan(0, length).ToArray());
                confirmed++;
            }
        });

        Assert.IsType<IOException>(failure);
        Assert.Contains("changed", failure.Message);
        Assert.InRange(confirmed, 1, blockSize / Chunk - 2);
        // Read again, the block is verified and the flipped chunk found: no reader gets it as good data.
        var error = await Assert.ThrowsAsync<FsException>(() => ReadAllAsync(path, Chunk));
        Assert.Equal(FsErrorCode.ChecksumMismatch, error.Code);
    }

}
