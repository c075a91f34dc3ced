using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansFs.Grains.Lineage.Jobs;
using OrleansFs.TestSupport;

namespace OrleansFs.Unit.Tests.Lineage;

/// <summary>The command-line runner against real programs: what it passes, what it keeps, and what it kills.</summary>
public sealed class CommandLineJobRunnerTests : IDisposable
{
    private readonly TempDirectory _temp = new("ofs-lineage-runner");
    private readonly CommandLineJobRunner _runner = new(NullLogger<CommandLineJobRunner>.Instance);

    public void Dispose() => _temp.Dispose();

    private string Script(string name, string body)
    {
        string path = _temp.Combine(name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private Task<JobOutcome> RunAsync(string executable, IReadOnlyList<string>? arguments = null, Dictionary<string, string?>? environment = null,
        string? workingDirectory = null, TimeSpan? timeout = null) =>
        _runner.RunAsync(new CommandLineJobStart
        {
            Executable = executable,
            Arguments = arguments ?? [],
            WorkingDirectory = workingDirectory,
            Environment = environment ?? [],
        }, timeout ?? TimeSpan.FromSeconds(60), CancellationToken.None);

    [Fact]
    public async Task Arguments_reach_the_program_as_they_are_with_no_shell_in_between()
    {
        string[] hostile = ["$HOME", "a b", "`id`", "; echo injected", "*", "'q'\"", ""];

        var outcome = await RunAsync("/usr/bin/printf", ["[%s]\n", .. hostile]);

        Assert.True(outcome.Succeeded, outcome.Describe());
        Assert.Equal(string.Concat(hostile.Select(a => $"[{a}]\n")), outcome.StdoutTail);
    }

    [Fact]
    public async Task The_exit_code_and_both_output_streams_are_kept()
    {
        string script = Script("fail.sh", "echo to-out; echo to-err >&2; exit 7");

        var outcome = await RunAsync(script);

        Assert.False(outcome.Succeeded);
        Assert.Equal(7, outcome.ExitCode);
        Assert.Equal("to-out\n", outcome.StdoutTail);
        Assert.Equal("to-err\n", outcome.StderrTail);
        Assert.Equal("exit code 7 (to-err)", outcome.Describe());
    }

    [Fact]
    public async Task Only_the_last_64_KiB_of_a_long_output_is_kept()
    {
        // 100,000 numbered lines: far more than 64 KiB.
        string script = Script("long.sh", "i=0; while [ $i -lt 100000 ]; do echo \"line $i\"; i=$((i+1)); done");

        var outcome = await RunAsync(script);

        Assert.True(outcome.Succeeded, outcome.Describe());
        Assert.Equal(64 * 1024, System.Text.Encoding.UTF8.GetByteCount(outcome.StdoutTail));
        Assert.EndsWith("line 99998\nline 99999\n", outcome.StdoutTail);
        Assert.DoesNotContain("line 1\n", outcome.StdoutTail);
    }

    [Fact]
    public async Task The_environment_and_working_directory_are_the_jobs()
    {
        string script = Script("env.sh", "pwd; echo \"$OFS_LINEAGE_ID|$OFS_LINEAGE_OUTPUT_1|${OFS_GATEWAY-unset}|$OFS_LINEAGE_INPUTS\"; cat");
        var environment = JobEnvironment.Add(new Dictionary<string, string?> { ["OFS_GATEWAY"] = null }, 42, 3, 1, ["/in/a", "/in/b"], ["/out/c"]);
        string work = Directory.CreateDirectory(_temp.Combine("work")).FullName;
        Environment.SetEnvironmentVariable("OFS_GATEWAY", "inherited:1");
        try
        {
            var outcome = await RunAsync(script, environment: environment, workingDirectory: work);

            // stdin is closed at once: `cat` ends instead of waiting for input.
            Assert.True(outcome.Succeeded, outcome.Describe());
            Assert.Equal($"{work}\n42|/out/c|unset|/in/a\n/in/b\n", outcome.StdoutTail);
        }
        finally
        {
            Environment.SetEnvironmentVariable("OFS_GATEWAY", null);
        }
    }

    [Fact]
    public async Task At_its_deadline_the_program_and_what_it_started_are_killed()
    {
        string pidFile = _temp.Combine("child.pid");
        string script = Script("hang.sh", $"sleep 300 & echo $! > {pidFile}; echo started; wait");
        var clock = Stopwatch.StartNew();

        var outcome = await RunAsync(script, timeout: TimeSpan.FromSeconds(2));

        Assert.True(outcome.TimedOut);
        Assert.Null(outcome.ExitCode);
        Assert.Equal("timed out and was killed", outcome.Describe());
        Assert.Equal("started\n", outcome.StdoutTail);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
        int child = int.Parse(File.ReadAllText(pidFile).Trim());
        Assert.False(IsAlive(child), $"the job's child {child} outlived the kill");
    }

    [Fact]
    public async Task A_program_that_cannot_start_is_an_error_not_an_exception()
    {
        var outcome = await RunAsync(_temp.Combine("missing"));

        Assert.False(outcome.Succeeded);
        Assert.StartsWith($"cannot start {_temp.Combine("missing")}", outcome.Error);
    }

    private static bool IsAlive(int pid)
    {
        // A killed child may linger as a zombie for a moment until init reaps it.
        for (int i = 0; i < 50; i++)
        {
            string stat = $"/proc/{pid}/stat";
            if (!File.Exists(stat)) return false;
            try
            {
                if (File.ReadAllText(stat).Split(") ")[1].StartsWith('Z')) return false;
            }
            catch (IOException) { return false; }
            Thread.Sleep(100);
        }
        return true;
    }
}
