using OrleansFs.Client;
using OrleansFs.Client.FileSystem;
using OrleansFs.Client.Retry;
using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Lineage;
using OrleansFs.Tests.Master;

namespace OrleansFs.Tests.Lineage;

/// <summary>Lineage records through the client core and the master grain, on an in-process silo with the real directory journal.</summary>
public sealed class LineageGrainTests(LineageClusterFixture fixture) : IClassFixture<LineageClusterFixture>
{
    private static readonly LineageJob Job = LineageJob.InProcess("Tests.Upper", "--fast");
    private IFileSystem Fs => new OrleansFileSystem(fixture.Cluster.Client, RetryPipeline.Default);
    private static string Unique() => "/l" + Guid.NewGuid().ToString("N")[..8];

    private async Task<string> Persisted(string path)
    {
        await Fs.CreateFileEntryAsync(path);
        await Fs.CompleteFileAsync(path, 100);
        await Fs.SetAttributeAsync(path, new SetAttributeOptions { PersistenceState = PersistenceState.Persisted });
        return path;
    }

    [Fact]
    public async Task Create_get_list_find_by_file_and_delete_through_the_client()
    {
        string root = Unique();
        string input = await Persisted(root + "/in");

        long id = await Fs.CreateLineageAsync([input], [root + "/out/a", root + "/out/b"], Job);
        var lineage = await Fs.GetLineageAsync(id);
        var outputStatus = await Fs.GetStatusAsync(root + "/out/a");

        Assert.Equal([input], lineage.Inputs);
        Assert.Equal([root + "/out/a", root + "/out/b"], lineage.Outputs.Select(o => o.Path));
        Assert.Equal(["--fast"], lineage.Job.JobArguments);
        Assert.Equal(id, outputStatus.LineageId);
        Assert.False(outputStatus.Completed);
        Assert.Contains(await Fs.ListLineagesAsync(), l => l.Id == id);
        Assert.Equal(id, (await Fs.GetLineageOfFileAsync(root + "/out/b"))!.Id);
        Assert.Null(await Fs.GetLineageOfFileAsync(input));

        await Fs.DeleteLineageAsync(id);

        Assert.DoesNotContain(await Fs.ListLineagesAsync(), l => l.Id == id);
        Assert.Null((await Fs.GetStatusAsync(root + "/out/a")).LineageId);
        Assert.Equal("NotFound: no lineage " + id, (await Assert.ThrowsAsync<FsException>(() => Fs.GetLineageAsync(id))).Message);
    }

    [Fact]
    public async Task A_retry_with_the_same_request_id_returns_the_first_lineage_and_creates_nothing_more()
    {
        string root = Unique();
        string input = await Persisted(root + "/in");
        var request = new CreateLineageRequest { Inputs = [input], Outputs = [root + "/out"], Job = Job };
        var requestId = Guid.NewGuid();

        var first = await fixture.Master.CreateLineage(request, requestId);
        var again = await fixture.Master.CreateLineage(request, requestId);

        Assert.Equal(first.Id, again.Id);
        Assert.Single(await fixture.Master.ListLineages(), l => l.Outputs[0].Path == root + "/out");
        Assert.Equal(2, (await Fs.ListStatusAsync(root)).Count);
        // A new request for the same output is a different request: refused, the output exists.
        var other = await Assert.ThrowsAsync<FsException>(() => fixture.Master.CreateLineage(request, Guid.NewGuid()));
        Assert.Equal(FsErrorCode.AlreadyExists, other.Code);
    }

    [Fact]
    public async Task Refusals_cross_the_wire_as_one_clear_error_and_change_nothing()
    {
        string root = Unique();
        string input = await Persisted(root + "/in");
        long made = await Fs.CreateLineageAsync([input], [root + "/mid"], Job);
        var before = await Fs.ListStatusAsync(root, recursive: true);
        int lineages = (await Fs.ListLineagesAsync()).Count;

        var unknown = await Assert.ThrowsAsync<FsException>(() => Fs.CreateLineageAsync([root + "/nope"], [root + "/x"], Job));
        var exists = await Assert.ThrowsAsync<FsException>(() => Fs.CreateLineageAsync([input], [root + "/mid"], Job));
        var cycle = await Assert.ThrowsAsync<FsException>(() => Fs.CreateLineageAsync([root + "/mid"], [input], Job));
        var program = await Assert.ThrowsAsync<FsException>(() => Fs.CreateLineageAsync([input], [root + "/x"], LineageJob.CommandLine("rm", "-rf", "/")));

        Assert.Equal($"{root}/nope: NotFound: lineage input does not exist", unknown.Message);
        Assert.Equal($"{root}/mid: AlreadyExists: a lineage output must be a new file: it already exists", exists.Message);
        Assert.Equal($"{input}: InvalidArgument: is what the inputs are made from: making it from them would close a cycle", cycle.Message);
        Assert.Equal("InvalidArgument: executable 'rm' is not allowed: add it to Lineage:CommandJobs:Allowed", program.Message);
        Assert.Equal(before.Select(s => s.Path), (await Fs.ListStatusAsync(root, recursive: true)).Select(s => s.Path));
        Assert.Equal(lineages, (await Fs.ListLineagesAsync()).Count);
        Assert.Equal(made, (await Fs.GetLineageOfFileAsync(root + "/mid"))!.Id);
    }

    [Fact]
    public async Task Cascade_deletes_the_lineages_downstream_and_leaves_every_output_as_a_plain_file()
    {
        string root = Unique();
        string input = await Persisted(root + "/a");
        long ab = await Fs.CreateLineageAsync([input], [root + "/b"], Job);
        long bc = await Fs.CreateLineageAsync([root + "/b"], [root + "/c"], Job);
        long cd = await Fs.CreateLineageAsync([root + "/c"], [root + "/d"], Job);

        var refused = await Assert.ThrowsAsync<FsException>(() => Fs.DeleteLineageAsync(ab));
        Assert.Contains($"has downstream lineages {bc}", refused.Message);
        Assert.Equal([cd], (await Fs.GetLineageAsync(bc)).Children);

        await Fs.DeleteLineageAsync(bc, cascade: true);

        var left = (await Fs.ListLineagesAsync()).Select(l => l.Id).ToList();
        Assert.Contains(ab, left);
        Assert.DoesNotContain(bc, left);
        Assert.DoesNotContain(cd, left);
        Assert.Empty((await Fs.GetLineageAsync(ab)).Children);
        Assert.Equal(ab, (await Fs.GetStatusAsync(root + "/b")).LineageId);
        foreach (string file in new[] { "/c", "/d" })
            Assert.Null((await Fs.GetStatusAsync(root + file)).LineageId);
    }

    [Fact]
    public async Task Runs_and_checksums_are_recorded_once_per_request()
    {
        string root = Unique();
        string input = await Persisted(root + "/a");
        long id = await Fs.CreateLineageAsync([input], [root + "/b"], Job);
        var run = new LineageRun { RunId = 1, Attempt = 1, Silo = "127.0.0.1:1", Outcome = LineageRunOutcome.Failed, ExitCode = 2, StderrTail = "boom" };
        var runId = Guid.NewGuid();

        await fixture.Master.RecordLineageRun(id, run, runId);
        await fixture.Master.RecordLineageRun(id, run with { ExitCode = 9 }, runId);
        await fixture.Master.RecordLineageChecksum(id, root + "/b", 0xFEED, Guid.NewGuid());

        var lineage = await Fs.GetLineageAsync(id);
        Assert.Equal(2, Assert.Single(lineage.Runs).ExitCode);
        Assert.Equal("boom", lineage.Runs[0].StderrTail);
        Assert.Equal(0xFEEDUL, lineage.Outputs[0].Checksum);
    }
}
