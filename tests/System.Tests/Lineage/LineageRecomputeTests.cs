using System.Text;
using OrleansFs.Client;
using OrleansFs.Client.Streams;
using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Lineage;
using OrleansFs.TestSupport;
using Xunit.Abstractions;

namespace OrleansFs.Tests.Lineage;

/// <summary>
/// Lost lineage outputs rebuilt by re-running their job, on three real silos: the silo holding an output's only copy
/// is SIGKILLed, and reading the output again gives the first run's bytes, or an error naming the lineage and the run.
/// </summary>
public sealed class LineageRecomputeTests(LineageClusterFixture fixture, ITestOutputHelper output)
    : IClassFixture<LineageClusterFixture>, IAsyncLifetime
{
    private const int BlockSize = 1 << 20;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);
    private IFileSystem Fs => fixture.Client.FileSystem;
    private FileDataClient Data => fixture.Client.Data;
    private ClusterProcesses Cluster => fixture.Cluster;

    public Task InitializeAsync() => Cluster.HealAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static string Root(string name) => $"/lineage-{name}-{Guid.NewGuid():N}";

    /// <summary>About 2.5 MiB of text, so outputs span several 1 MiB blocks.</summary>
    private static byte[] Text(int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        while (text.Length < 5 * BlockSize / 2) text.Append($"line {text.Length} of the {random.Next():x} quick brown foxes\n");
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>What transform.sh writes: every letter a-y shifted to the next.</summary>
    private static byte[] Shifted(byte[] bytes) => bytes.Select(b => b is >= (byte)'a' and <= (byte)'y' ? (byte)(b + 1) : b).ToArray();

    private static async Task WriteAsync(OrleansFsConnection client, string path, byte[] bytes, WriteType writeType)
    {
        await using var stream = await client.Data.CreateFileAsync(path, new CreateFileOptions { BlockSizeBytes = BlockSize, WriteType = writeType },
            shortCircuit: false);
        await stream.WriteAsync(bytes);
    }

    private async Task<byte[]> ReadAsync(string path)
    {
        await using var stream = await Data.OpenFileAsync(path, new OpenFileOptions { ShortCircuit = false });
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>The lineage once <paramref name="done"/> holds (its runs and checksums are journaled as they happen).</summary>
    private async Task<LineageInfo> WaitForAsync(long id, Func<LineageInfo, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var lineage = await Fs.GetLineageAsync(id);
            if (done(lineage)) return lineage;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"lineage {id}: {what} did not happen within {Patience}; runs: " +
                    string.Join("; ", lineage.Runs.Select(r => $"{r.RunId}.{r.Attempt} {r.Trigger} {r.Outcome} {r.ExitCode} {r.Error} {r.StderrTail}")));
            await Task.Delay(500);
        }
    }

    /// <summary>The silo holding the file's blocks (they all land on one: the writer's gateway silo).</summary>
    private async Task<SiloProcess> HolderOfAsync(string path)
    {
        var locations = await Data.GetBlockLocationsAsync(path);
        string silo = locations.Select(l => l.Location.SiloAddress).Distinct().Single();
        Assert.All(locations, l => Assert.NotNull(l.Location.Stored));
        return Cluster.SiloAt(silo);
    }

    private async Task<string> MasterSiloAsync() => (await Fs.GetMasterInfoAsync()).SiloAddress;

    /// <summary>A client whose gateway is a silo other than the master's, so what it writes is placed there.</summary>
    private async Task<(OrleansFsConnection Client, SiloProcess Silo)> WriterAwayFromMasterAsync()
    {
        string master = await MasterSiloAsync();
        var silo = Cluster.Silos.First(s => s.IsRunning && s.SiloAddress != master);
        var client = await OrleansFsClient.ConnectAsync(new OrleansFsClientOptions { Gateways = [silo.Gateway], ConnectTimeout = TimeSpan.FromSeconds(30) });
        return (client, silo);
    }

    private async Task<string> PersistedInputAsync(string path, byte[] bytes)
    {
        await using var writer = await fixture.ConnectAsync();
        await WriteAsync(writer, path, bytes, WriteType.CacheThrough);
        return path;
    }

    [Fact]
    public async Task A_script_job_run_at_create_is_run_again_when_the_silo_holding_its_output_is_killed()
    {
        string root = Root("script");
        var input = Text(1);
        await PersistedInputAsync(root + "/in.txt", input);

        long id = await Fs.CreateLineageAsync([root + "/in.txt"], [root + "/out.txt"],
            LineageJob.CommandLine(fixture.Transform, LineageClusterFixture.OfsDll), run: true);
        var first = await WaitForAsync(id, l => l.Runs.Any(r => r.Outcome == LineageRunOutcome.Succeeded) && l.Outputs[0].Checksum is not null,
            "the requested run and its checksum");
        var requested = first.Runs.Single(r => r.Outcome == LineageRunOutcome.Succeeded);
        Assert.Equal(LineageRunTrigger.Requested, requested.Trigger);
        Assert.Equal(0, requested.ExitCode);
        Assert.Contains($"lineage {id} run {requested.RunId} wrote {root}/out.txt", requested.StdoutTail);
        var bytes = await ReadAsync(root + "/out.txt");
        Assert.Equal(Shifted(input), bytes);

        var victim = await HolderOfAsync(root + "/out.txt");
        victim.Kill();
        output.WriteLine($"SIGKILLed {victim.SiloAddress}, which held every block of {root}/out.txt");

        Assert.Equal(bytes, await ReadAsync(root + "/out.txt"));
        var after = await Fs.GetLineageAsync(id);
        var recompute = after.Runs.Last();
        Assert.Equal(LineageRunTrigger.Recompute, recompute.Trigger);
        Assert.Equal(LineageRunOutcome.Succeeded, recompute.Outcome);
        Assert.True(recompute.RunId > requested.RunId);
        Assert.NotEqual(victim.SiloAddress, recompute.Silo);
        Assert.Equal(first.Outputs[0].Checksum, after.Outputs[0].Checksum);
        // The rebuilt file is the same file: same inode, same blocks, not LOST, and its scratch copy is gone.
        var status = await Fs.GetStatusAsync(root + "/out.txt");
        Assert.Equal(after.Outputs[0].FileId, status.InodeId);
        Assert.Equal(PersistenceState.NotPersisted, status.PersistenceState);
        Assert.DoesNotContain(await Fs.ListStatusAsync("/.lineage-scratch", recursive: true), s => !s.IsDirectory);

        var show = await new OfsRunner(Cluster.Silos.First(s => s.IsRunning).Gateway).RunAsync("lineage", "show", id.ToString());
        string text = OfsAssert.Succeeded(show).Stdout;
        Assert.Contains($"run {recompute.RunId} attempt 1 (recompute) on {recompute.Silo}", text);
        Assert.Contains("succeeded, exit code 0", text);
    }
}
