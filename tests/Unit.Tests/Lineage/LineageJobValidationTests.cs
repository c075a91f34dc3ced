using Microsoft.Extensions.Options;
using OrleansFs.Errors;
using OrleansFs.Grains.Lineage;
using OrleansFs.Grains.Lineage.Jobs;
using OrleansFs.Lineage;
using OrleansFs.TestSupport;

namespace OrleansFs.Unit.Tests.Lineage;

/// <summary>What CreateLineage refuses before anything is recorded, and the `Lineage` settings refused at start.</summary>
public sealed class LineageJobValidationTests : IDisposable
{
    private readonly TempDirectory _bin = new("ofs-lineage-bin");

    public void Dispose() => _bin.Dispose();

    private string Program(string name)
    {
        string path = _bin.Combine(name);
        File.WriteAllText(path, "#!/bin/sh\n");
        return path;
    }

    private static AllowListJobValidator Validator(LineageOptions options)
    {
        var wrapped = Options.Create(options);
        return new AllowListJobValidator(new CommandJobAllowList(wrapped), new LineageJobTypes(wrapped));
    }

    private static string Refusal(AllowListJobValidator validator, LineageJob job)
    {
        var error = Assert.Throws<FsException>(() => validator.Validate(job));
        Assert.Equal(FsErrorCode.InvalidArgument, error.Code);
        return error.Reason;
    }

    [Fact]
    public void With_nothing_listed_every_command_line_job_is_refused()
    {
        string reason = Refusal(Validator(new LineageOptions()), LineageJob.CommandLine("/bin/sh", "-c", "rm -rf /"));

        Assert.Equal("executable '/bin/sh' is not allowed: add it to Lineage:CommandJobs:Allowed", reason);
    }

    [Fact]
    public void A_listed_full_path_is_allowed_and_another_is_not()
    {
        string job = Program("job.sh");
        var validator = Validator(new LineageOptions { CommandJobs = { Allowed = [job] } });

        validator.Validate(LineageJob.CommandLine(job, "x"));
        Assert.Contains("'/bin/sh' is not allowed", Refusal(validator, LineageJob.CommandLine("/bin/sh")));
        // The same file named another way is still the same program.
        validator.Validate(LineageJob.CommandLine(Path.Combine(_bin.Path, ".", "job.sh")));
    }

    [Fact]
    public void A_bare_name_resolves_against_the_configured_directory_and_never_against_PATH()
    {
        Program("transform");
        var validator = Validator(new LineageOptions { CommandJobs = { Allowed = ["transform"], Directory = _bin.Path } });

        validator.Validate(LineageJob.CommandLine("transform"));
        validator.Validate(LineageJob.CommandLine(_bin.Combine("transform")));
        Assert.Contains("'sh' is not allowed", Refusal(validator, LineageJob.CommandLine("sh")));
        Assert.Contains("'./transform' is not allowed", Refusal(validator, LineageJob.CommandLine("./transform")));
    }

    [Fact]
    public void An_allowed_program_that_does_not_exist_is_named()
    {
        string missing = _bin.Combine("gone");
        var validator = Validator(new LineageOptions { CommandJobs = { Allowed = [missing] } });

        Assert.Equal($"executable '{missing}' is allowed but {missing} does not exist on this silo",
            Refusal(validator, LineageJob.CommandLine(missing)));
    }

    [Fact]
    public void A_relative_working_directory_is_refused()
    {
        string job = Program("job.sh");
        var validator = Validator(new LineageOptions { CommandJobs = { Allowed = [job] } });

        Assert.Equal("working directory 'work' must be a full path",
            Refusal(validator, LineageJob.CommandLine(job) with { WorkingDirectory = "work" }));
    }

    [Fact]
    public void An_in_process_job_must_name_a_loaded_type_implementing_ILineageJob()
    {
        var validator = Validator(new LineageOptions());

        validator.Validate(LineageJob.InProcess(typeof(SampleJob).FullName!));
        Assert.Contains("'No.Such.Job' was not found", Refusal(validator, LineageJob.InProcess("No.Such.Job")));
        Assert.Contains("is not a class implementing ILineageJob", Refusal(validator, LineageJob.InProcess(typeof(string).FullName!)));
    }

    [Fact]
    public void Bad_settings_are_refused_with_their_keys()
    {
        var result = new LineageOptionsValidator().Validate(null, new LineageOptions
        {
            MaxAttempts = 0,
            RecomputeTimeout = TimeSpan.Zero,
            RetryBackoff = TimeSpan.FromSeconds(-1),
            ScratchDirectory = "relative",
            CommandJobs = { Allowed = ["bin/job", "job"] },
            JobAssemblies = ["/nowhere/jobs.dll"],
        });

        Assert.True(result.Failed);
        Assert.Equal(
        [
            "Lineage:RecomputeTimeout 00:00:00 must be positive",
            "Lineage:RetryBackoff -00:00:01 must not be negative",
            "Lineage:MaxAttempts 0 must be between 1 and 100",
            "Lineage:ScratchDirectory 'relative' is not an absolute OrleansFs path",
            "Lineage:CommandJobs:Allowed:0 'bin/job' must be a full path or a bare name",
            "Lineage:CommandJobs:Allowed:1 'job' is a bare name: set Lineage:CommandJobs:Directory, or give a full path",
            "Lineage:JobAssemblies:0 '/nowhere/jobs.dll' does not exist",
        ], result.Failures);
        Assert.True(new LineageOptionsValidator().Validate(null, new LineageOptions()).Succeeded);
    }

    [Fact]
    public void Arguments_naming_an_output_are_redirected_and_others_are_not()
    {
        var arguments = LineageJobExecutor.Redirect(["/in", "/out", "--to=/out", "/out2"], ["/out", "/out2"], ["/s/0/out", "/s/1/out2"]);

        Assert.Equal(["/in", "/s/0/out", "--to=/out", "/s/1/out2"], arguments);
    }

    public sealed class SampleJob : ILineageJob
    {
        public Task RunAsync(LineageJobContext context, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
