using System.Diagnostics;
using System.Security.Cryptography;
using OrleansFs.Client;
using OrleansFs.Client.Streams;
using OrleansFs.Files;
using OrleansFs.Lineage;
using OrleansFs.TestSupport;
using Xunit.Abstractions;

namespace OrleansFs.Tests.Lineage;

/// <summary>
/// The asynchronous checkpoint policy on two real silos (ZooKeeper membership, shared journal and under-storage).
/// A chain raw → #1 → a → #2 → b → #3 → c, each output written by the application (so each job counts as
/// Lineage:Checkpoint:AssumedRunTime, 1 s) through the silo that does not host the master, under a chain bound of
/// 1.5 s: the leaf c is persisted first, then b (rebuilding it would run #1 and #2: 2 s), and a (1 s) never.
/// The holder of the blocks is then SIGKILLed: c reloads from the under-storage and no run is recorded.
/// </summary>
public sealed class LineageCheckpointTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan PersistTimeout = TimeSpan.FromSeconds(60);
    private ClusterProcesses _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterProcesses.StartAsync(silos: 2, zooKeeperMembers: 1, extraSiloArguments:
    [
        "--Lineage:Checkpoint:Interval=00:00:01",
        "--Lineage:Checkpoint:MaxPersistsPerPass=1",
        "--Lineage:Checkpoint:AssumedRunTime=00:00:01",
        "--Lineage:Checkpoint:MaxChainRecomputeTime=00:00:01.500",
        "--Lineage:CommandJobs:Allowed:0=/bin/true",
    ]);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private static Task<OrleansFsConnection> ConnectAsync(SiloProcess silo) =>
        OrleansFsClient.ConnectAsync(new OrleansFsClientOptions { Gateways = [silo.Gateway], ConnectTimeout = TimeSpan.FromSeconds(30) });

    [Fact]
    public async Task Leaves_are_persisted_first_then_what_bounds_a_chain_and_a_persisted_output_reloads_instead_of_recomputing()
    {
        string raw = "/ckpt/raw", a = "/ckpt/a", b = "/ckpt/b", c = "/ckpt/c";
        var bytes = new Dictionary<string, byte[]>();
        foreach (var (path, seed) in new[] { (raw, 1), (a, 2), (b, 3), (c, 4) })
        {
            bytes[path] = new byte[300_000 + seed];
            new Random(seed).NextBytes(bytes[path]);
        }
        string masterSilo;
        await using (var any = await ConnectAsync(_cluster.Silos[0]))
            masterSilo = (await any.FileSystem.GetMasterInfoAsync()).SiloAddress;
        var victim = _cluster.Silos.Single(s => s.SiloAddress != masterSilo);
        var survivor = _cluster.SiloAt(masterSilo);

        var job = new LineageJob { Kind = LineageJobKind.CommandLine, Executable = "/bin/true" };
        long last;
        await using (var writer = await ConnectAsync(victim))
        {
            await writer.FileSystem.CreateDirectoryAsync("/ckpt");
            await WriteAsync(writer, raw, bytes[raw], WriteType.CacheThrough);
            await writer.FileSystem.CreateLineageAsync([raw], [a], job);
            await writer.FileSystem.CreateLineageAsync([a], [b], job);
            last = await writer.FileSystem.CreateLineageAsync([b], [c], job);
            // Placement prefers the silo a client came through: the outputs' blocks live on the victim only. The leaf
            // is written first, so no pass can find b complete while c is still being written.
            foreach (var path in new[] { c, b, a }) await WriteAsync(writer, path, bytes[path], WriteType.MustCache);
        }

        await using var reader = await ConnectAsync(survivor);
        await WaitPersistedAsync(reader.FileSystem, b);
        Assert.Equal(PersistenceState.Persisted, (await reader.FileSystem.GetStatusAsync(c)).PersistenceState);
        // The master's log says in which order the policy persisted them, and why.
        string log = survivor.ReadLog();
        int cDone = log.IndexOf($"Checkpointed lineage output {c} ", StringComparison.Ordinal);
        int bStarted = log.IndexOf($"Checkpointing lineage output {b} ", StringComparison.Ordinal);
        Assert.True(cDone >= 0 && bStarted > cDone, $"c should be checkpointed before b is started; log:\n{log}");
        Assert.Contains($"Checkpointing lineage output {c} (lineage {last}): a leaf of the lineage graph", log);
        Assert.Contains($"Checkpointing lineage output {b} (lineage {last - 1}): its rebuild would take 00:00:02", log);
        // a is within the bound: a few more passes leave it in memory.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(PersistenceState.NotPersisted, (await reader.FileSystem.GetStatusAsync(a)).PersistenceState);
        Assert.Equal(SHA256.HashData(bytes[c]), SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(_cluster.UnderStorageDirectory, "ckpt", "c"))));

        victim.Kill();
        output.WriteLine($"SIGKILLed {victim.SiloAddress}, which held a, b and c in memory; the master is on {masterSilo}");

        Assert.Equal(SHA256.HashData(bytes[c]), await Sha256Async(reader, c));
        Assert.Equal(SHA256.HashData(bytes[b]), await Sha256Async(reader, b));
        var lineage = await reader.FileSystem.GetLineageAsync(last);
        Assert.Empty(lineage.Runs);
        Assert.Empty((await reader.FileSystem.GetLineageAsync(last - 1)).Runs);
        Assert.Contains($"of {c} from the under-storage", survivor.ReadLog());
    }

    private static async Task WaitPersistedAsync(IFileSystem fs, string path)
    {
        var clock = Stopwatch.StartNew();
        while ((await fs.GetStatusAsync(path)).PersistenceState != PersistenceState.Persisted)
        {
            Assert.True(clock.Elapsed < PersistTimeout, $"{path} not persisted after {PersistTimeout}");
            await Task.Delay(200);
        }
    }

    private static async Task WriteAsync(OrleansFsConnection client, string path, byte[] content, WriteType writeType)
    {
        await using var stream = await client.Data.CreateFileAsync(path, new CreateFileOptions { WriteType = writeType }, shortCircuit: false);
        await stream.WriteAsync(content);
    }

    private static async Task<byte[]> Sha256Async(OrleansFsConnection client, string path)
    {
        await using var stream = await client.Data.OpenFileAsync(path, new OpenFileOptions { ShortCircuit = false });
        return await SHA256.HashDataAsync(stream);
    }
}
