using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Lineage;
using OrleansFs.Tests.Master;

namespace OrleansFs.Tests.Lineage;

/// <summary>Lineage records through the master's API over the in-memory journal: checks, bindings, replay and checkpoints.</summary>
public sealed class LineageRecordTests : IAsyncLifetime
{
    private TestMaster _m = null!;

    public async Task InitializeAsync() => _m = await TestMaster.StartAsync();
    public async Task DisposeAsync() => await _m.DisposeAsync();

    private static readonly LineageJob Job = LineageJob.InProcess("Jobs.Upper", "--fast");

    private async Task Persisted(string path)
    {
        await _m.Service.CreateFile(path, new CreateFileOptions(), Guid.NewGuid());
        await _m.Service.CompleteFile(path, 10, Guid.NewGuid());
        await _m.Service.SetAttribute(path, new SetAttributeOptions { PersistenceState = PersistenceState.Persisted }, Guid.NewGuid());
    }

    private Task<LineageInfo> Create(string[] inputs, string[] outputs, Guid? requestId = null, LineageJob? job = null) =>
        _m.Service.CreateLineage(new CreateLineageRequest { Inputs = inputs, Outputs = outputs, Job = job ?? Job }, requestId ?? Guid.NewGuid());

    [Fact]
    public async Task A_lineage_creates_its_outputs_as_empty_unwritten_files_bound_to_it()
    {
        await Persisted("/in/a");

        var lineage = await Create(["/in/a"], ["/out/b", "/out/c"]);

        Assert.Equal(1, lineage.Id);
        Assert.Equal(["/in/a"], lineage.Inputs);
        Assert.Equal(["/out/b", "/out/c"], lineage.Outputs.Select(o => o.Path));
        Assert.Equal(Job, lineage.Job with { Arguments = Job.Arguments, JobArguments = Job.JobArguments });
        Assert.Equal(["--fast"], lineage.Job.JobArguments);
        var b = _m.Service.GetStatus("/out/b");
        Assert.False(b.Completed);
        Assert.Equal(0, b.Length);
        Assert.Equal(WriteType.MustCache, b.WriteType);
        Assert.Equal(1, b.LineageId);
        Assert.Null(_m.Service.GetStatus("/in/a").LineageId);
        Assert.Equal(b.InodeId, lineage.Outputs[0].FileId);
        Assert.Equal(1, _m.Service.GetLineageOfFile("/out/c")!.Id);
        Assert.Null(_m.Service.GetLineageOfFile("/in/a"));
    }

    [Fact]
    public async Task A_lineage_output_can_be_the_next_lineages_input_before_it_is_written()
    {
        await Persisted("/a");
        var first = await Create(["/a"], ["/b"]);

        var second = await Create(["/b"], ["/c"]);

        Assert.Equal([first.Id], second.Parents);
        Assert.Equal([second.Id], _m.Service.GetLineage(first.Id)!.Children);
    }

    [Theory]
    [InlineData("/missing", "/out", FsErrorCode.NotFound, "/missing: NotFound: lineage input does not exist")]
    [InlineData("/dir", "/out", FsErrorCode.IsADirectory, "/dir: IsADirectory: a lineage input must be a file")]
    [InlineData("/unpersisted", "/out", FsErrorCode.InvalidArgument, "/unpersisted: InvalidArgument: lineage input is not persisted and no lineage makes it")]
    [InlineData("/writing", "/out", FsErrorCode.FileIncomplete, "/writing: FileIncomplete: lineage input is still being written")]
    [InlineData("/a", "/a", FsErrorCode.InvalidArgument, "/a: InvalidArgument: is both an input and an output: a lineage cannot make what it reads (cycle)")]
    [InlineData("/a", "/other", FsErrorCode.AlreadyExists, "/other: AlreadyExists: a lineage output must be a new file")]
    [InlineData("/a", "/dir/x/y", FsErrorCode.NotADirectory, "")]
    [InlineData("/a", "/", FsErrorCode.InvalidArgument, "the root directory cannot be a lineage output")]
    [InlineData("/a", "no/slash", FsErrorCode.InvalidPath, "")]
    public async Task A_refused_lineage_names_the_problem_and_changes_nothing(string input, string output, FsErrorCode code, string message)
    {
        await Persisted("/a");
        await Persisted("/other");
        await _m.Service.CreateDirectory("/dir", false, Guid.NewGuid());
        await Persisted("/dir/x");
        await _m.Service.CreateFile("/unpersisted", new CreateFileOptions(), Guid.NewGuid());
        await _m.Service.CompleteFile("/unpersisted", 1, Guid.NewGuid());
        await _m.Service.CreateFile("/writing", new CreateFileOptions(), Guid.NewGuid());
        string before = _m.NamespaceOnly();

        var error = await Assert.ThrowsAsync<FsException>(() => Create([input], [output]));

        Assert.Equal(code, error.Code);
        Assert.Contains(message, error.Message);
        Assert.Equal(before, _m.NamespaceOnly());
        Assert.Empty(_m.Service.ListLineages());
    }

    [Fact]
    public async Task Making_a_file_the_inputs_are_made_from_is_refused_as_a_cycle()
    {
        await Persisted("/x");
        await Create(["/x"], ["/y"]);
        await Create(["/y"], ["/z"]);
        string before = _m.NamespaceOnly();

        var direct = await Assert.ThrowsAsync<FsException>(() => Create(["/y"], ["/x"]));
        var through = await Assert.ThrowsAsync<FsException>(() => Create(["/z"], ["/x", "/w"]));

        Assert.Contains("cycle", direct.Message);
        Assert.Contains("/x: InvalidArgument: is what the inputs are made from", through.Message);
        Assert.Equal(before, _m.NamespaceOnly());
    }

    [Fact]
    public async Task A_path_named_twice_or_no_output_at_all_is_refused()
    {
        await Persisted("/a");

        Assert.Contains("named twice as a lineage input", (await Assert.ThrowsAsync<FsException>(() => Create(["/a", "/a/"], ["/b"]))).Message);
        Assert.Contains("named twice as a lineage output", (await Assert.ThrowsAsync<FsException>(() => Create(["/a"], ["/b", "/b"]))).Message);
        Assert.Contains("at least one output", (await Assert.ThrowsAsync<FsException>(() => Create(["/a"], []))).Message);
        Assert.False(Exists("/b"));
    }

    [Fact]
    public async Task A_command_line_job_is_refused_by_the_default_validator_before_anything_is_journaled()
    {
        await Persisted("/a");
        long sequence = _m.Service.Journal.LastSequence;

        var error = await Assert.ThrowsAsync<FsException>(() => Create(["/a"], ["/b"], job: LineageJob.CommandLine("/bin/sh", "-c", "true")));

        Assert.Equal("InvalidArgument: executable '/bin/sh' is not allowed: add it to Lineage:CommandJobs:Allowed", error.Message);
        Assert.Equal(sequence, _m.Service.Journal.LastSequence);
        Assert.False(Exists("/b"));
    }

    [Fact]
    public async Task A_retry_with_the_same_request_id_gets_the_first_lineage_and_records_nothing_more()
    {
        await Persisted("/a");
        var requestId = Guid.NewGuid();
        var first = await Create(["/a"], ["/b"], requestId);
        string after = _m.Dump();

        var again = await Create(["/a"], ["/b"], requestId);

        Assert.Equal(first.Id, again.Id);
        Assert.Equal(after, _m.Dump());
        var restarted = await _m.RestartAsync();
        _m = restarted;
        Assert.Equal(first.Id, (await Create(["/a"], ["/b"], requestId)).Id);
        Assert.Single(_m.Service.ListLineages());
    }

    [Fact]
    public async Task Deleting_an_output_or_an_input_unbinds_it_and_a_rename_is_followed()
    {
        await Persisted("/a");
        var lineage = await Create(["/a"], ["/b", "/c"]);

        await _m.Service.CreateDirectory("/moved", false, Guid.NewGuid());
        await _m.Service.Rename("/a", "/moved/a", Guid.NewGuid());
        await _m.Service.Rename("/b", "/moved/b", Guid.NewGuid());
        await _m.Service.Delete("/c", false, Guid.NewGuid());
        var info = _m.Service.GetLineage(lineage.Id)!;

        Assert.Equal(["/moved/a"], info.Inputs);
        Assert.Equal("/moved/b", info.Outputs[0].Path);
        Assert.NotNull(info.Outputs[0].FileId);
        Assert.Equal(new LineageOutput { Path = "/c" }, info.Outputs[1]);

        await _m.Service.Delete("/moved", recursive: true, Guid.NewGuid());
        info = _m.Service.GetLineage(lineage.Id)!;
        Assert.Equal(["/moved/a"], info.Inputs);
        Assert.Equal([null], info.InputIds);
        Assert.Null(info.Outputs[0].FileId);
    }

    [Fact]
    public async Task The_application_opens_an_unwritten_output_with_a_plain_create_and_it_stays_bound()
    {
        await Persisted("/a");
        var lineage = await Create(["/a"], ["/b"]);
        long id = lineage.Outputs[0].FileId!.Value;

        var opened = await _m.Service.CreateFile("/b", new CreateFileOptions { BlockSizeBytes = 4096, WriteType = WriteType.CacheThrough, Recursive = false }, Guid.NewGuid());
        await _m.Service.CompleteFile("/b", 5000, Guid.NewGuid());

        Assert.Equal(id, opened.InodeId);
        Assert.Equal(4096, opened.BlockSizeBytes);
        Assert.Equal(WriteType.CacheThrough, opened.WriteType);
        Assert.Equal(lineage.Id, _m.Service.GetStatus("/b").LineageId);
        Assert.Equal(2, _m.Service.GetStatus("/b").BlockIds.Count);
        // Once written, a plain create is refused as for any file.
        Assert.Equal(FsErrorCode.AlreadyExists, (await Assert.ThrowsAsync<FsException>(() =>
            _m.Service.CreateFile("/b", new CreateFileOptions(), Guid.NewGuid()))).Code);
    }

    [Fact]
    public async Task An_overwritten_output_stays_the_lineages_output_and_forgets_its_checksum()
    {
        await Persisted("/a");
        var lineage = await Create(["/a"], ["/b"]);
        await _m.Service.CreateFile("/b", new CreateFileOptions(), Guid.NewGuid());
        await _m.Service.CompleteFile("/b", 3, Guid.NewGuid());
        await _m.Service.RecordLineageChecksum(lineage.Id, "/b", 42, Guid.NewGuid());
        await _m.Service.RecordLineageChecksum(lineage.Id, "/b", 43, Guid.NewGuid());
        Assert.Equal(42UL, _m.Service.GetLineage(lineage.Id)!.Outputs[0].Checksum);

        var rewritten = await _m.Service.CreateFile("/b", new CreateFileOptions { Overwrite = true }, Guid.NewGuid());

        var output = _m.Service.GetLineage(lineage.Id)!.Outputs[0];
        Assert.Equal(rewritten.InodeId, output.FileId);
        Assert.Null(output.Checksum);
        Assert.Equal(lineage.Id, _m.Service.GetStatus("/b").LineageId);
    }

    [Fact]
    public async Task Deleting_a_lineage_keeps_its_outputs_as_plain_files_and_cascade_takes_the_lineages_downstream()
    {
        await Persisted("/a");
        var first = await Create(["/a"], ["/b"]);
        var second = await Create(["/b"], ["/c"]);
        var third = await Create(["/a"], ["/d"]);

        var refused = await Assert.ThrowsAsync<FsException>(() => _m.Service.DeleteLineage(first.Id, cascade: false, Guid.NewGuid()));
        Assert.Contains($"lineage {first.Id} has downstream lineages {second.Id}", refused.Message);
        Assert.Equal(3, _m.Service.ListLineages().Count);

        await _m.Service.DeleteLineage(first.Id, cascade: true, Guid.NewGuid());

        Assert.Equal([third.Id], _m.Service.ListLineages().Select(l => l.Id));
        Assert.Null(_m.Service.GetStatus("/b").LineageId);
        Assert.Null(_m.Service.GetStatus("/c").LineageId);
        Assert.True(Exists("/c"));
        var missing = await Assert.ThrowsAsync<FsException>(() => _m.Service.DeleteLineage(first.Id, false, Guid.NewGuid()));
        Assert.Equal("NotFound: no lineage 1", missing.Message);
    }

    [Fact]
    public async Task Runs_are_journaled_with_their_exit_codes_and_log_tails_cut_to_64_KiB()
    {
        await Persisted("/a");
        var lineage = await Create(["/a"], ["/b"]);
        var started = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
        var run = new LineageRun { RunId = 1, Attempt = 1, Trigger = LineageRunTrigger.Requested, StartedAt = started, Silo = "10.0.0.1:11111" };
        await _m.Service.RecordLineageRun(lineage.Id, run, Guid.NewGuid());
        var failed = run with
        {
            EndedAt = started.AddSeconds(2), Outcome = LineageRunOutcome.Failed, ExitCode = 3, Error = "exit code 3",
            StderrTail = new string('e', 100_000) + "END",
        };

        await _m.Service.RecordLineageRun(lineage.Id, failed, Guid.NewGuid());

        var runs = _m.Service.GetLineage(lineage.Id)!.Runs;
        var kept = Assert.Single(runs);
        Assert.Equal(3, kept.ExitCode);
        Assert.Equal(LineageRunOutcome.Failed, kept.Outcome);
        Assert.Equal(LineageRun.MaxTailBytes, kept.StderrTail.Length);
        Assert.EndsWith("END", kept.StderrTail);
        Assert.Equal(started.AddSeconds(2), kept.EndedAt);
    }

    [Fact]
    public async Task Lineages_survive_a_checkpoint_and_replay_exactly()
    {
        await Persisted("/a");
        var first = await Create(["/a"], ["/b"], job: LineageJob.InProcess("Jobs.Upper"));
        await _m.Service.RecordLineageRun(first.Id, new LineageRun { RunId = 1, Silo = "s", StdoutTail = "out" }, Guid.NewGuid());
        await _m.Service.CheckpointAsync();
        var second = await Create(["/b"], ["/c/d"]);
        await _m.Service.RecordLineageChecksum(second.Id, "/c/d", 7, Guid.NewGuid());
        await _m.Service.Rename("/a", "/a2", Guid.NewGuid());
        string expected = _m.Dump();
        var expectedInfos = _m.Service.ListLineages();

        _m = await _m.RestartAsync();

        Assert.Equal(expected, _m.Dump(takeoversToSkipAtEnd: 1));
        Assert.Equivalent(expectedInfos, _m.Service.ListLineages(), strict: true);
        Assert.Equal(3, (await Create(["/a2"], ["/e"])).Id);
    }

    private bool Exists(string path)
    {
        try
        {
            _m.Service.GetStatus(path);
            return true;
        }
        catch (FsException e) when (e.Code == FsErrorCode.NotFound)
        {
            return false;
        }
    }
}
