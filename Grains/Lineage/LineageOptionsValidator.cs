using Microsoft.Extensions.Options;
using OrleansFs.Paths;

namespace OrleansFs.Grains.Lineage;

/// <summary>Lineage settings that cannot work, refused at startup with the key to fix.</summary>
public sealed class LineageOptionsValidator : IValidateOptions<LineageOptions>
{
    public ValidateOptionsResult Validate(string? name, LineageOptions options)
    {
        var failures = new List<string>();
        Positive(failures, "Lineage:RecomputeTimeout", options.RecomputeTimeout);
        Positive(failures, "Lineage:MaxRetryBackoff", options.MaxRetryBackoff);
        if (options.RetryBackoff < TimeSpan.Zero) failures.Add($"Lineage:RetryBackoff {options.RetryBackoff} must not be negative");
        if (options.MaxAttempts is < 1 or > 100) failures.Add($"Lineage:MaxAttempts {options.MaxAttempts} must be between 1 and 100");
        CheckScratch(failures, options.ScratchDirectory);
        CheckCommandJobs(failures, options.CommandJobs);
        for (int i = 0; i < options.JobAssemblies.Count; i++)
        {
            string path = options.JobAssemblies[i];
            if (!Path.IsPathFullyQualified(path)) failures.Add($"Lineage:JobAssemblies:{i} '{path}' must be a full path to a .dll");
            else if (!File.Exists(path)) failures.Add($"Lineage:JobAssemblies:{i} '{path}' does not exist");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero) failures.Add($"{key} {value} must be positive");
    }

    private static void CheckScratch(List<string> failures, string scratch)
    {
        if (!FsPath.TryParse(scratch, out var path))
            failures.Add($"Lineage:ScratchDirectory '{scratch}' is not an absolute OrleansFs path");
        else if (path.IsRoot)
            failures.Add("Lineage:ScratchDirectory must not be the root directory");
    }

    private static void CheckCommandJobs(List<string> failures, LineageCommandJobsOptions jobs)
    {
        if (jobs.Directory is { } directory && !Path.IsPathFullyQualified(directory))
            failures.Add($"Lineage:CommandJobs:Directory '{directory}' must be a full path");
        for (int i = 0; i < jobs.Allowed.Count; i++)
        {
            string entry = jobs.Allowed[i];
            if (string.IsNullOrWhiteSpace(entry)) failures.Add($"Lineage:CommandJobs:Allowed:{i} is empty");
            else if (!Path.IsPathFullyQualified(entry) && entry.Contains('/'))
                failures.Add($"Lineage:CommandJobs:Allowed:{i} '{entry}' must be a full path or a bare name");
            else if (!Path.IsPathFullyQualified(entry) && string.IsNullOrEmpty(jobs.Directory))
                failures.Add($"Lineage:CommandJobs:Allowed:{i} '{entry}' is a bare name: set Lineage:CommandJobs:Directory, or give a full path");
        }
    }
}
