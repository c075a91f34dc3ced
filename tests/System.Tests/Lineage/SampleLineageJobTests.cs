using OrleansFs.TestSupport;

namespace OrleansFs.Tests.Lineage;

/// <summary>
/// The sample command-line jobs shipped in `deploy/lineage-jobs/` work as `deploy/local-cluster.sh` sets them up: the
/// silo allows them by name in `Lineage:CommandJobs:Directory` and carries `OFS_CLI_DLL`, through which the scripts
/// find `ofs`. A chain in.txt → upper.sh → upper.txt → wordcount.sh → counts.txt, run with `ofs lineage create --run`.
/// </summary>
public sealed class SampleLineageJobTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task The_sample_jobs_run_by_name_and_write_their_outputs()
    {
        await using var silo = SiloProcess.Create(
        [
            $"--Lineage:CommandJobs:Directory={Path.Combine(OfsBuildOutputs.RepositoryRoot, "deploy", "lineage-jobs")}",
            "--Lineage:CommandJobs:Allowed:0=upper.sh",
            "--Lineage:CommandJobs:Allowed:1=wordcount.sh",
        ]);
        silo.Environment["OFS_CLI_DLL"] = OfsBuildOutputs.OfsDll;
        await silo.StartProcessAsync();
        var ofs = new OfsRunner(silo.Gateway);
        using var local = new TempDirectory("ofs-sample-jobs");
        string input = local.Combine("in.txt");
        await File.WriteAllTextAsync(input, "the quick brown fox\njumps over the lazy dog\n");

        OfsAssert.Succeeded(await ofs.RunAsync("copyFromLocal", "--write-type", "CACHE_THROUGH", input, "/demo/in.txt"));
        var upper = await ofs.RunAsync("lineage", "create", "--input", "/demo/in.txt", "--output", "/demo/upper.txt", "--run", "--", "upper.sh");
        OfsAssert.Succeeded(upper);
        Assert.Equal("Lineage 1 has been created and asked to run.", upper.Stdout.Trim());
        Assert.Equal("THE QUICK BROWN FOX\nJUMPS OVER THE LAZY DOG\n", await CatWhenWrittenAsync(ofs, "/demo/upper.txt"));

        OfsAssert.Succeeded(await ofs.RunAsync("lineage", "create", "--input", "/demo/upper.txt", "--output", "/demo/counts.txt", "--run", "--", "wordcount.sh"));
        Assert.Equal("2 THE\n1 BROWN\n1 DOG\n1 FOX\n1 JUMPS\n1 LAZY\n1 OVER\n1 QUICK\n", await CatWhenWrittenAsync(ofs, "/demo/counts.txt"));

        var show = await ofs.RunAsync("lineage", "show", "2");
        OfsAssert.Succeeded(show);
        Assert.Contains("job:      command line: wordcount.sh", show.Stdout);
        Assert.Contains("succeeded, exit code 0", show.Stdout);
        Assert.Contains("wordcount.sh: lineage 2 run 1 counted 8 words into /demo/counts.txt", show.Stdout);
    }

    /// <summary>`ofs cat` of a requested run's output, once the job has written it (until then the file is not complete).</summary>
    private static async Task<string> CatWhenWrittenAsync(OfsRunner ofs, string path)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var cat = await ofs.RunAsync("cat", path);
            if (cat.ExitCode == 0 && cat.Stdout.Length > 0) return cat.Stdout;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{path} was not written within {Patience}: {cat.Stderr}");
            await Task.Delay(500);
        }
    }
}
