using OrleansFs.Client;
using OrleansFs.Client.Streams;
using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.TestSupport;
using Xunit.Abstractions;

namespace OrleansFs.Tests.Data;

/// <summary>
/// Two real silo processes. A file is written through the silo that does not host the master, so its block sits
/// there and its chunks stream to that silo's data endpoint in a window of unacknowledged frames; that silo is
/// SIGKILLed in the middle of the window: of the only block, or (with 2-chunk blocks) while earlier blocks are sealed
/// behind the writes of the next.
/// </summary>
public sealed class PipelinedWriteLossTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Chunk = 1 << 20;
    private ClusterProcesses _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterProcesses.StartAsync(silos: 2, zooKeeperMembers: 1);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private static Task<OrleansFsConnection> ConnectAsync(SiloProcess silo) =>
        OrleansFsClient.ConnectAsync(new OrleansFsClientOptions { Gateways = [silo.Gateway], ConnectTimeout = TimeSpan.FromSeconds(30) });

    [Theory]
    [InlineData(64)]
    [InlineData(2)]
    public async Task A_worker_that_dies_in_the_middle_of_the_window_leaves_no_completed_file_and_the_error_names_it(int blockChunks)
    {
        string path = $"/pipelined/dies-mid-window-{blockChunks}.bin";
        var chunk = new byte[Chunk];
        new Random(5).NextBytes(chunk);
        string masterSilo;
        await using (var first = await ConnectAsync(_cluster.Silos[0]))
            masterSilo = (await first.FileSystem.GetMasterInfoAsync()).SiloAddress;
        var victim = _cluster.Silos.Single(s => s.SiloAddress != masterSilo);
        await using var survivor = await ConnectAsync(_cluster.SiloAt(masterSilo));
        await survivor.FileSystem.CreateDirectoryAsync("/pipelined");

        // Placement prefers the silo a client came through: a writer connected only to the victim's gateway.
        var writer = await ConnectAsync(victim);
        var stream = await writer.Data.CreateFileAsync(path,
            new CreateFileOptions { BlockSizeBytes = blockChunks * Chunk, WriteType = WriteType.MustCache }, shortCircuit: false);
        // Chunks in one call, so they are on the wire with their acknowledgements not yet read.
        await stream.WriteAsync(new ReadOnlyMemory<byte>([.. chunk, .. chunk, .. chunk, .. chunk, .. chunk, .. chunk]));
        var location = (await survivor.Data.GetBlockLocationsAsync(path)).SingleOrDefault();
        output.WriteLine($"writing through {victim.SiloAddress}; block location so far: {location?.Location.SiloAddress ?? "(none yet)"}");

        victim.Kill();
        output.WriteLine($"SIGKILLed {victim.SiloAddress} (pid {victim.ProcessId}) mid-window");

        var error = await Assert.ThrowsAsync<FsException>(async () =>
        {
            for (int i = 0; i < 16; i++) await stream.WriteAsync(chunk);
            await stream.DisposeAsync();
        });
        output.WriteLine($"the writer got: {error.Code} {error.Message}");
        Assert.Equal(path, error.Path);
        await stream.DisposeAsync();
        await writer.DisposeAsync();

        // Whatever is left of the file is not a completed file a reader could take for the whole.
        var status = await TryStatusAsync(survivor, path);
        Assert.True(status is null || !status.Completed, $"{path} was left completed ({status?.Length} bytes)");
    }

    private static async Task<FileStatus?> TryStatusAsync(OrleansFsConnection client, string path)
    {
        try { return await client.FileSystem.GetStatusAsync(path); }
        catch (FsException e) when (e.Code == FsErrorCode.NotFound) { return null; }
    }
}
