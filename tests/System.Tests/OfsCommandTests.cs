using OrleansFs.TestSupport;

namespace OrleansFs.Tests;

/// <summary>A user drives a real silo with `ofs`: every command works, and every mistake is one clear line that changes nothing.</summary>
public sealed class OfsCommandTests(SharedSiloFixture fixture) : IClassFixture<SharedSiloFixture>
{
    private OfsRunner Ofs => fixture.Ofs;

    [Fact]
    public async Task Mkdir_touch_ls_mv_stat_count_rm_work_like_alluxio_fs()
    {
        OfsAssert.Succeeded(await Ofs.RunAsync("mkdir", "-p", "/cmd/a/b"));
        var touch = OfsAssert.Succeeded(await Ofs.RunAsync("touch", "/cmd/a/b/f1", "/cmd/a/f2"));
        Assert.Equal(["/cmd/a/b/f1 has been created", "/cmd/a/f2 has been created"], touch.StdoutLines);

        var ls = OfsAssert.Succeeded(await Ofs.RunAsync("ls", "-R", "/cmd"));
        Assert.Equal(["/cmd/a", "/cmd/a/b", "/cmd/a/b/f1", "/cmd/a/f2"], OfsAssert.ListedPaths(ls));
        Assert.StartsWith("drwxr-xr-x", ls.StdoutLines[0]);
        Assert.StartsWith("-rw-r--r--", ls.StdoutLines[2]);

        OfsAssert.Succeeded(await Ofs.RunAsync("mv", "/cmd/a", "/cmd/z"));
        ls = OfsAssert.Succeeded(await Ofs.RunAsync("ls", "-R", "/cmd"));
        Assert.Equal(["/cmd/z", "/cmd/z/b", "/cmd/z/b/f1", "/cmd/z/f2"], OfsAssert.ListedPaths(ls));

        var stat = OfsAssert.Succeeded(await Ofs.RunAsync("stat", "/cmd/z/b/f1"));
        Assert.Equal("/cmd/z/b/f1 is a file path.", stat.StdoutLines[0]);
        Assert.Contains("path=/cmd/z/b/f1, length=0,", stat.StdoutLines[1]);
        Assert.Contains("completed=true", stat.StdoutLines[1]);

        var count = OfsAssert.Succeeded(await Ofs.RunAsync("count", "/cmd"));
        Assert.Equal(["2", "3", "0"], count.StdoutLines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));

        var du = OfsAssert.Succeeded(await Ofs.RunAsync("du", "/cmd"));
        Assert.Equal(["0 0 (0%) /cmd/z/b/f1", "0 0 (0%) /cmd/z/f2"],
            du.StdoutLines.Skip(1).Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))));

        OfsAssert.FailedWithOneLine(await Ofs.RunAsync("rm", "/cmd/z"), "rm", "/cmd/z");
        OfsAssert.Succeeded(await Ofs.RunAsync("rm", "-R", "/cmd/z"));
        ls = OfsAssert.Succeeded(await Ofs.RunAsync("ls", "/cmd"));
        Assert.Empty(ls.StdoutLines);
    }

    [Fact]
    public async Task Leader_and_report_name_the_silo_hosting_the_master()
    {
        var leader = OfsAssert.Succeeded(await Ofs.RunAsync("leader"));
        Assert.Matches($@"^{fixture.Silo.SiloAddress.Replace(".", @"\.")} \(epoch [1-9][0-9]*\)$", leader.StdoutLines.Single());

        var report = OfsAssert.Succeeded(await Ofs.RunAsync("report"));
        Assert.Contains(report.StdoutLines, l => l.StartsWith("Master:") && l.Contains(fixture.Silo.SiloAddress));
        Assert.Contains(report.StdoutLines, l => l.StartsWith("Journal:") && l.Contains(fixture.Silo.JournalDirectory));
        Assert.Contains(report.StdoutLines, l => l.StartsWith("Journal sequence:"));
        Assert.Contains(report.StdoutLines, l => l.StartsWith("Last checkpoint:"));
        Assert.Contains(report.StdoutLines, l => l.StartsWith(fixture.Silo.SiloAddress) && l.Contains(" Active "));
    }

    [Fact]
    public async Task Bad_paths_fail_with_one_line_naming_the_path_and_change_nothing()
    {
        OfsAssert.Succeeded(await Ofs.RunAsync("mkdir", "-p", "/bad/keep"));
        OfsAssert.Succeeded(await Ofs.RunAsync("touch", "/bad/keep/file"));
        var before = OfsAssert.Succeeded(await Ofs.RunAsync("ls", "-R", "/bad")).Stdout;

        string longName = "/bad/" + new string('n', 256);
        (string[] Args, string Command, string Named)[] cases =
        [
            (["mkdir", "relative/dir"], "mkdir", "relative/dir"),
            (["mkdir", "/bad//x"], "mkdir", "/bad//x"),
            (["touch", "/bad/../x"], "touch", "/bad/../x"),
            (["mkdir", "-p", "/bad/./x"], "mkdir", "/bad/./x"),
            (["touch", longName], "touch", longName),
            (["mv", "/bad/keep", "/bad/keep/inside"], "mv", "/bad/keep/inside"),
            (["rm", "-R", "/"], "rm", "/"),
            (["rm", "/bad/missing"], "rm", "/bad/missing"),
            (["mkdir", "/bad/keep/file/sub"], "mkdir", "/bad/keep/file"),
            (["touch", "/bad/keep"], "touch", "/bad/keep"),
        ];
        var results = await Task.WhenAll(cases.Select(c => Ofs.RunAsync(c.Args)));
        for (int i = 0; i < cases.Length; i++)
            OfsAssert.FailedWithOneLine(results[i], cases[i].Command, cases[i].Named);

        var after = OfsAssert.Succeeded(await Ofs.RunAsync("ls", "-R", "/bad")).Stdout;
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Usage_errors_are_one_line()
    {
        var unknown = await OfsRunner.RunRawAsync(["frobnicate"]);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Equal("ofs: usage: unknown command or argument 'frobnicate' (see ofs --help)", unknown.StderrLines.Single());

        var missing = await Ofs.RunAsync("mv", "/only-one");
        Assert.Equal(2, missing.ExitCode);
        Assert.StartsWith("ofs: mv: ", missing.StderrLines.Single());
    }

    [Fact]
    public async Task Global_options_work_before_or_after_the_command_and_from_the_environment()
    {
        OfsAssert.Succeeded(await OfsRunner.RunRawAsync(["--gateway", Ofs.Gateway, "ls", "/"]));
        OfsAssert.Succeeded(await OfsRunner.RunRawAsync(["ls", "/", "--gateway", Ofs.Gateway]));
        OfsAssert.Succeeded(await OfsRunner.RunRawAsync(["ls", "/"], new Dictionary<string, string> { ["OFS_GATEWAY"] = Ofs.Gateway }));
    }

    [Fact]
    public async Task An_unreachable_cluster_is_one_line_after_a_bounded_wait()
    {
        string nobody = $"127.0.0.1:{FreePort.Next()}";
        // OfsRunner fails the test if ofs hangs instead of giving up.
        var result = await OfsRunner.RunRawAsync(["--gateway", nobody, "ls", "/"]);
        var line = OfsAssert.FailedWithOneLine(result, "ls", nobody);
        Assert.Contains("cannot reach the cluster", line);
    }
}
