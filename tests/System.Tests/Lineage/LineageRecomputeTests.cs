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

    /// <summary>Writes an output the application's way (the job is not run): through a silo other than the master's, where its blocks then sit.</summary>
    private async Task<SiloProcess> WriteOutputsAsync(params (string Path, byte[] Bytes)[] files)
    {
        var (writer, silo) = await WriterAwayFromMasterAsync();
        await using (writer)
        {
            foreach (var (path, bytes) in files)
            {
                await WriteAsync(writer, path, bytes, WriteType.MustCache);
                Assert.All(await writer.Data.GetBlockLocationsAsync(path), l => Assert.Equal(silo.SiloAddress, l.Location.SiloAddress));
            }
        }
        return silo;
    }

    private Task<LineageInfo> ChecksumRecordedAsync(long id) =>
        WaitForAsync(id, l => l.Outputs.All(o => o.Checksum is not null), "the checksum of the first completed output");

    [Fact]
    public async Task A_chain_whose_middle_and_last_outputs_are_lost_rebuilds_the_middle_first()
    {
        string root = Root("chain");
        var a = Text(2);
        byte[] b = Shifted(a), c = Shifted(b);
        await PersistedInputAsync(root + "/a.txt", a);
        var job = LineageJob.CommandLine(fixture.Transform, LineageClusterFixture.OfsDll);
        long first = await Fs.CreateLineageAsync([root + "/a.txt"], [root + "/b.txt"], job);
        long second = await Fs.CreateLineageAsync([root + "/b.txt"], [root + "/c.txt"], job);
        var victim = await WriteOutputsAsync((root + "/b.txt", b), (root + "/c.txt", c));
        await ChecksumRecordedAsync(first);
        await ChecksumRecordedAsync(second);

        victim.Kill();
        output.WriteLine($"SIGKILLed {victim.SiloAddress}, which held b.txt and c.txt");

        Assert.Equal(c, await ReadAsync(root + "/c.txt"));
        var middle = (await Fs.GetLineageAsync(first)).Runs.Single(r => r.Trigger == LineageRunTrigger.Recompute);
        var last = (await Fs.GetLineageAsync(second)).Runs.Single(r => r.Trigger == LineageRunTrigger.Recompute);
        Assert.Equal(LineageRunOutcome.Succeeded, middle.Outcome);
        Assert.Equal(LineageRunOutcome.Succeeded, last.Outcome);
        Assert.True(middle.EndedAt <= last.StartedAt, $"b was rebuilt {middle.StartedAt:O}..{middle.EndedAt:O}, c from {last.StartedAt:O}");
        Assert.Equal(b, await ReadAsync(root + "/b.txt"));
    }

    [Fact]
    public async Task An_in_process_job_rebuilds_its_lost_output()
    {
        string root = Root("in-process");
        var input = Text(3);
        await PersistedInputAsync(root + "/in.txt", input);
        long id = await Fs.CreateLineageAsync([root + "/in.txt"], [root + "/reversed"], LineageJob.InProcess("OrleansFs.LineageJobs.ReverseJob"));
        var reversed = input.Reverse().ToArray();
        var victim = await WriteOutputsAsync((root + "/reversed", reversed));
        await ChecksumRecordedAsync(id);

        victim.Kill();

        Assert.Equal(reversed, await ReadAsync(root + "/reversed"));
        var run = (await Fs.GetLineageAsync(id)).Runs.Single();
        Assert.Equal((LineageRunTrigger.Recompute, LineageRunOutcome.Succeeded, (int?)null), (run.Trigger, run.Outcome, run.ExitCode));
        Assert.NotEqual(victim.SiloAddress, run.Silo);
    }

    [Fact]
    public async Task A_job_that_keeps_failing_is_tried_MaxAttempts_times_and_the_reader_is_told_the_lineage_and_exit_code()
    {
        string root = Root("failing");
        await PersistedInputAsync(root + "/in.txt", Text(4));
        long id = await Fs.CreateLineageAsync([root + "/in.txt"], [root + "/out.txt"], LineageJob.CommandLine(fixture.Fail));
        var victim = await WriteOutputsAsync((root + "/out.txt", Text(5)));
        await ChecksumRecordedAsync(id);

        victim.Kill();

        var error = await Assert.ThrowsAsync<FsException>(() => ReadAsync(root + "/out.txt"));
        Assert.Equal(FsErrorCode.FileLost, error.Code);
        Assert.Equal(root + "/out.txt", error.Path);
        Assert.Contains($"lineage {id} could not rebuild it: run 1 attempt 3 ended with exit code 3 (transform failed: no dictionary for {root}/in.txt)",
            error.Reason);
        var runs = (await Fs.GetLineageAsync(id)).Runs;
        Assert.Equal([1, 2, 3], runs.Select(r => r.Attempt));
        Assert.All(runs, r => Assert.Equal((LineageRunOutcome.Failed, (int?)3), (r.Outcome, r.ExitCode)));
        Assert.All(runs, r => Assert.Contains("transform failed", r.StderrTail));

        var show = await new OfsRunner(Cluster.Silos.First(s => s.IsRunning).Gateway).RunAsync("lineage", "show", id.ToString());
        string text = OfsAssert.Succeeded(show).Stdout;
        foreach (int attempt in new[] { 1, 2, 3 }) Assert.Contains($"run 1 attempt {attempt} (recompute)", text);
        Assert.Contains("failed, exit code 3", text);
        Assert.Contains("transform failed: no dictionary", text);
        // Not declared LOST: the next read asks the lineage again (after a fix to the job, it would succeed).
        Assert.NotEqual(PersistenceState.Lost, (await Fs.GetStatusAsync(root + "/out.txt")).PersistenceState);
    }

    [Fact]
    public async Task A_recompute_that_writes_different_bytes_is_refused_and_reported_as_non_deterministic()
    {
        string root = Root("random");
        await PersistedInputAsync(root + "/in.txt", Text(6));
        long id = await Fs.CreateLineageAsync([root + "/in.txt"], [root + "/noise"], LineageJob.CommandLine(fixture.Random, LineageClusterFixture.OfsDll));
        var noise = new byte[65536];
        new Random(7).NextBytes(noise);
        var victim = await WriteOutputsAsync((root + "/noise", noise));
        ulong first = (await ChecksumRecordedAsync(id)).Outputs[0].Checksum!.Value;

        victim.Kill();

        var error = await Assert.ThrowsAsync<FsException>(() => ReadAsync(root + "/noise"));
        Assert.Equal(FsErrorCode.FileLost, error.Code);
        Assert.Contains($"lineage {id} could not rebuild it: run 1 the job wrote different bytes for {root}/noise", error.Reason);
        Assert.Contains($"the first run's {first:x16}): it is not deterministic, and its output is not served", error.Reason);
        var run = (await Fs.GetLineageAsync(id)).Runs.Single();
        Assert.Equal(LineageRunOutcome.NonDeterministic, run.Outcome);
        Assert.Equal(first, (await Fs.GetLineageAsync(id)).Outputs[0].Checksum);
        Assert.DoesNotContain(await Fs.ListStatusAsync("/.lineage-scratch", recursive: true), s => !s.IsDirectory);
    }

    [Fact]
    public async Task An_executable_not_on_the_allow_list_is_refused_at_create_and_nothing_is_recorded()
    {
        string root = Root("refused");
        await PersistedInputAsync(root + "/in.txt", Text(8));
        int before = (await Fs.ListLineagesAsync()).Count;

        var error = await Assert.ThrowsAsync<FsException>(() =>
            Fs.CreateLineageAsync([root + "/in.txt"], [root + "/out"], LineageJob.CommandLine("/bin/sh", "-c", "echo hi")));

        Assert.Equal(FsErrorCode.InvalidArgument, error.Code);
        Assert.Equal("executable '/bin/sh' is not allowed: add it to Lineage:CommandJobs:Allowed", error.Reason);
        Assert.False(await Fs.ExistsAsync(root + "/out"));
        Assert.Equal(before, (await Fs.ListLineagesAsync()).Count);
        var ofs = await new OfsRunner(Cluster.Silos.First(s => s.IsRunning).Gateway)
            .RunAsync("lineage", "create", "--input", root + "/in.txt", "--output", root + "/out", "--", "/usr/bin/env", "sh");
        string line = OfsAssert.FailedWithOneLine(ofs, "lineage create", "/usr/bin/env");
        Assert.Contains("is not allowed: add it to Lineage:CommandJobs:Allowed", line);
    }

    [Fact]
    public async Task A_recompute_in_flight_when_the_masters_silo_is_killed_still_gives_its_reader_the_bytes()
    {
        string root = Root("failover");
        var input = Text(9);
        await PersistedInputAsync(root + "/in.txt", input);
        // The job sleeps before writing, so the master can be killed while it runs.
        long id = await Fs.CreateLineageAsync([root + "/in.txt"], [root + "/out.txt"],
            LineageJob.CommandLine(fixture.Transform, LineageClusterFixture.OfsDll, "8"));
        var expected = Shifted(input);
        var victim = await WriteOutputsAsync((root + "/out.txt", expected));
        await ChecksumRecordedAsync(id);
        victim.Kill();

        var read = ReadAsync(root + "/out.txt");
        await WaitForAsync(id, l => l.Runs.Any(r => r.Outcome == LineageRunOutcome.Running), "a recompute starting");
        var master = Cluster.SiloAt(await MasterSiloAsync());
        master.Kill();
        output.WriteLine($"SIGKILLed {victim.SiloAddress} (the output's blocks), then the master's silo {master.SiloAddress} during the recompute");

        Assert.Equal(expected, await read);
        var runs = (await Fs.GetLineageAsync(id)).Runs;
        output.WriteLine(string.Join("\n", runs.Select(r => $"run {r.RunId}.{r.Attempt} on {r.Silo}: {r.Outcome} {r.Error}")));
        Assert.Equal(LineageRunOutcome.Succeeded, runs[^1].Outcome);
        Assert.DoesNotContain(runs, r => r.Outcome == LineageRunOutcome.Running);
        Assert.NotEqual(master.SiloAddress, runs[^1].Silo);
    }
}
