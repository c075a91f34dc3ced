using System.Security.Cryptography;
using OrleansFs.Client;
using OrleansFs.Client.Streams;
using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.TestSupport;
using Xunit.Abstractions;

namespace OrleansFs.Tests.Data;

/// <summary>
/// Two real silo processes (ZooKeeper membership, shared journal and under-storage). Files are written
/// through the silo that does not host the master, so their blocks sit there; that silo is SIGKILLed.
/// </summary>
public sealed class WorkerLossTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int BlockSize = 1 << 20;
    private ClusterProcesses _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterProcesses.StartAsync(silos: 2, zooKeeperMembers: 1);

    // Each SiloProcess removes its own tmpfs memory directory.
    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private static Task<OrleansFsConnection> ConnectAsync(SiloProcess silo) =>
        OrleansFsClient.ConnectAsync(new OrleansFsClientOptions { Gateways = [silo.Gateway], ConnectTimeout = TimeSpan.FromSeconds(30) });

    private static async Task WriteAsync(OrleansFsConnection client, string path, byte[] bytes, WriteType writeType)
    {
        await using var stream = await client.Data.CreateFileAsync(path, new CreateFileOptions { BlockSizeBytes = BlockSize, WriteType = writeType },
            shortCircuit: false);
        await stream.WriteAsync(bytes);
    }

    private static async Task<byte[]> Sha256Async(OrleansFsConnection client, string path)
    {
        await using var stream = await client.Data.OpenFileAsync(path, new OpenFileOptions { ShortCircuit = false });
        return await SHA256.HashDataAsync(stream);
    }

    [Fact]
    public async Task Killing_the_worker_that_holds_the_blocks_keeps_CACHE_THROUGH_readable_and_makes_MUST_CACHE_LOST()
    {
        var bytes = new byte[3 * BlockSize + 4321];
        new Random(3).NextBytes(bytes);
        string persisted = "/loss/cache-through.bin", cached = "/loss/must-cache.bin";
        var master = await ConnectAsync(_cluster.Silos[0]);
        string masterSilo = (await master.FileSystem.GetMasterInfoAsync()).SiloAddress;
        var victim = _cluster.Silos.Single(s => s.SiloAddress != masterSilo);
        var survivor = _cluster.SiloAt(masterSilo);
        await master.DisposeAsync();

        // Placement prefers the silo a client came through: a client connected only to the victim's gateway.
        await using (var writer = await ConnectAsync(victim))
        {
            await writer.FileSystem.CreateDirectoryAsync("/loss");
            await WriteAsync(writer, persisted, bytes, WriteType.CacheThrough);
            await WriteAsync(writer, cached, bytes, WriteType.MustCache);
            foreach (string path in new[] { persisted, cached })
            {
                var locations = await writer.Data.GetBlockLocationsAsync(path);
                Assert.Equal(4, locations.Count);
                Assert.All(locations, l => Assert.Equal(victim.SiloAddress, l.Location.SiloAddress));
            }
        }

        // A read in progress from the victim's data endpoint when it dies carries on through the block grains.
        await using var reader = await ConnectAsync(survivor);
        var midRead = await reader.Data.OpenFileAsync(persisted, new OpenFileOptions { ShortCircuit = false });
        var head = new byte[BlockSize / 2];
        await midRead.ReadExactlyAsync(head);

        victim.Kill();
        output.WriteLine($"SIGKILLed {victim.SiloAddress} (pid {victim.ProcessId}); the master is on {survivor.SiloAddress}");

        var rest = new MemoryStream();
        await midRead.CopyToAsync(rest);
        await midRead.DisposeAsync();
        Assert.Equal(bytes, head.Concat(rest.ToArray()).ToArray());
        Assert.Equal(SHA256.HashData(bytes), await Sha256Async(reader, persisted));

        var lost = await Assert.ThrowsAsync<FsException>(() => Sha256Async(reader, cached));
        Assert.Equal(FsErrorCode.FileLost, lost.Code);
        Assert.Equal(cached, lost.Path);
        Assert.Equal(PersistenceState.Lost, (await reader.FileSystem.GetStatusAsync(cached)).PersistenceState);

        var cat = await new OfsRunner(survivor.Gateway).RunAsync("cat", cached);
        string line = OfsAssert.FailedWithOneLine(cat, "cat", cached);
        Assert.Contains("LOST", line);
        Assert.Equal("", cat.Stdout);
        // The persisted file still reads right through `ofs cat` too.
        var good = await new OfsRunner(survivor.Gateway).RunAsync("checksum", persisted);
        Assert.Contains(Convert.ToHexString(SHA256.HashData(bytes)), OfsAssert.Succeeded(good).Stdout, StringComparison.OrdinalIgnoreCase);
    }
}
