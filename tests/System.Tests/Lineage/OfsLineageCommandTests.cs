using OrleansFs.TestSupport;
using Xunit.Abstractions;

namespace OrleansFs.Tests.Lineage;

/// <summary>A user records, lists, explains and deletes lineages with `ofs lineage`; every mistake is one line, exit 1, and changes nothing.</summary>
public sealed class OfsLineageCommandTests(OfsLineageCommandTests.Fixture fixture, ITestOutputHelper output) : IClassFixture<OfsLineageCommandTests.Fixture>
{
    private OfsRunner Ofs => fixture.Ofs;

    [Fact]
    public async Task Create_ls_show_and_rm_explain_a_lineage_and_its_files()
    {
        string dir = await InputDirectoryAsync();
        string[] job = await fixture.JobAsync(dir);

        var created = OfsAssert.Succeeded(await Ofs.RunAsync(["lineage", "create", "--input", dir + "/in", "--output", dir + "/out/a", "--output", dir + "/out/b", .. job]));
        string id = Assert.Single(created.StdoutLines).Split(' ')[1];
        Assert.Equal($"Lineage {id} has been created.", created.StdoutLines[0]);
        string local = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(local, "OUTPUT");
            // The application writes an output the lineage created.
            OfsAssert.Succeeded(await Ofs.RunAsync("copyFromLocal", "--write-type", "MUST_CACHE", local, dir + "/out/a"));
        }
        finally
        {
            File.Delete(local);
        }

        var ls = OfsAssert.Succeeded(await Ofs.RunAsync("lineage", "ls"));
        string line = Assert.Single(ls.StdoutLines, l => l.StartsWith(id + " ", StringComparison.Ordinal));
        Assert.Contains($"[{dir}/in] -> [{dir}/out/a, {dir}/out/b]", line);
        Assert.Contains("last run: none", line);

        var show = OfsAssert.Succeeded(await Ofs.RunAsync("lineage", "show", id));
        output.WriteLine(ls.Stdout + show.Stdout);
        Assert.Equal($"Lineage {id}", show.StdoutLines[0]);
        Assert.Contains($"{dir}/in  persisted, in memory", show.StdoutLines);
        // Its checksum follows once its lineage grain has read the completed output.
        Assert.Contains(show.StdoutLines, l => l == $"{dir}/out/a  in memory" || l.StartsWith($"{dir}/out/a  in memory  xxhash64 ", StringComparison.Ordinal));
        Assert.Contains($"{dir}/out/b  not written yet", show.StdoutLines);
        Assert.Contains("Runs:", show.StdoutLines);

        var downstream = OfsAssert.Succeeded(await Ofs.RunAsync(["lineage", "create", "-i", dir + "/out/a", "-o", dir + "/c", "--run", .. job]));
        string child = downstream.StdoutLines[0].Split(' ')[1];
        Assert.StartsWith($"Lineage {child} has been created", downstream.StdoutLines[0]);
        Assert.Contains($"children: {child}", OfsAssert.Succeeded(await Ofs.RunAsync("lineage", "show", id)).StdoutLines);

        string refused = OfsAssert.FailedWithOneLine(await Ofs.RunAsync("lineage", "rm", id), "lineage rm", $"lineage {id} has downstream lineages {child}");
        Assert.Equal(1, (await Ofs.RunAsync("lineage", "rm", id)).ExitCode);
        Assert.EndsWith("delete them first, or delete with cascade", refused);

        var removed = OfsAssert.Succeeded(await Ofs.RunAsync("lineage", "rm", id, "--cascade"));
        Assert.Equal($"Lineage {id} has been deleted, with the lineages downstream.", removed.StdoutLines.Single());
        var after = OfsAssert.Succeeded(await Ofs.RunAsync("lineage", "ls"));
        Assert.DoesNotContain(after.StdoutLines, l => l.StartsWith(id + " ", StringComparison.Ordinal) || l.StartsWith(child + " ", StringComparison.Ordinal));
        // The outputs stay as plain files.
        OfsAssert.Succeeded(await Ofs.RunAsync("stat", dir + "/out/a", dir + "/out/b", dir + "/c"));
    }

    [Fact]
    public async Task Bad_input_is_one_line_with_exit_status_1_and_changes_nothing()
    {
        string dir = await InputDirectoryAsync();
        string[] job = await fixture.JobAsync(dir);
        OfsAssert.Succeeded(await Ofs.RunAsync(["lineage", "create", "--input", dir + "/in", "--output", dir + "/made", .. job]));
        string files = OfsAssert.Succeeded(await Ofs.RunAsync("ls", "-R", dir)).Stdout;
        string lineages = OfsAssert.Succeeded(await Ofs.RunAsync("lineage", "ls")).Stdout;

        async Task<string> Refused(string named, params string[] args)
        {
            var result = await Ofs.RunAsync(args);
            Assert.Equal(1, result.ExitCode);
            Assert.Empty(result.Stdout);
            return OfsAssert.FailedWithOneLine(result, args[1] == "create" ? "lineage create" : "lineage " + args[1], named);
        }

        Assert.Equal($"ofs: lineage create: {dir}/nope: lineage input does not exist",
            await Refused(dir + "/nope", ["lineage", "create", "--input", dir + "/nope", "--output", dir + "/x", .. job]));
        Assert.Equal($"ofs: lineage create: {dir}/made: a lineage output must be a new file: it already exists",
            await Refused(dir + "/made", ["lineage", "create", "--input", dir + "/in", "--output", dir + "/made", .. job]));
        Assert.Contains("(cycle)",
            await Refused(dir + "/in", ["lineage", "create", "--input", dir + "/in", "--output", dir + "/in", .. job]));
        Assert.Contains("would close a cycle",
            await Refused(dir + "/in", ["lineage", "create", "--input", dir + "/made", "--output", dir + "/in", .. job]));
        Assert.Equal("ofs: lineage create: executable '/usr/bin/rm' is not allowed: add it to Lineage:CommandJobs:Allowed",
            await Refused("/usr/bin/rm", "lineage", "create", "--input", dir + "/in", "--output", dir + "/x", "--", "/usr/bin/rm", "-rf", dir));
        Assert.Equal("ofs: lineage create: give the job: -- EXECUTABLE [ARGS...] or --job TYPE",
            await Refused("give the job", "lineage", "create", "--input", dir + "/in", "--output", dir + "/x"));
        Assert.Equal("ofs: lineage show: no lineage 987654", await Refused("987654", "lineage", "show", "987654"));
        Assert.Equal("ofs: lineage rm: no lineage 987654", await Refused("987654", "lineage", "rm", "987654"));

        Assert.Equal(files, OfsAssert.Succeeded(await Ofs.RunAsync("ls", "-R", dir)).Stdout);
        Assert.Equal(lineages, OfsAssert.Succeeded(await Ofs.RunAsync("lineage", "ls")).Stdout);
    }

    /// <summary>A fresh directory with one persisted input file, `in`.</summary>
    private async Task<string> InputDirectoryAsync()
    {
        string dir = $"/lin{Guid.NewGuid():N}"[..12];
        string local = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(local, "input");
            OfsAssert.Succeeded(await Ofs.RunAsync("copyFromLocal", "--write-type", "CACHE_THROUGH", local, dir + "/in"));
        }
        finally
        {
            File.Delete(local);
        }
        return dir;
    }

    /// <summary>One silo allowed to run `/bin/true` as a lineage job.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private const string AllowedProgram = "/bin/true";
        private string[]? _job;

        public SiloProcess Silo { get; private set; } = null!;
        public OfsRunner Ofs { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            // No background checkpoint: it would persist a written output within its interval, and the test reads states.
            Silo = await SiloProcess.StartAsync([$"--Lineage:CommandJobs:Allowed:0={AllowedProgram}", "--Lineage:Checkpoint:Enabled=false"]);
            Ofs = new OfsRunner(Silo.Gateway);
        }

        /// <summary>
        /// The job arguments this silo accepts: `-- /bin/true` where command-line jobs can be allowed, else an in-process
        /// job name (a master without job runners accepts any). Probed once, on a throw-away output.
        /// </summary>
        public async Task<string[]> JobAsync(string dir)
        {
            if (_job is not null) return _job;
            var probe = await Ofs.RunAsync("lineage", "create", "--input", dir + "/in", "--output", dir + "/probe", "--", AllowedProgram);
            _job = probe.ExitCode == 0 ? ["--", AllowedProgram] : ["--job", "OrleansFs.Tests.Lineage.RecordedOnly"];
            return _job;
        }

        public async Task DisposeAsync() => await Silo.DisposeAsync();
    }
}
