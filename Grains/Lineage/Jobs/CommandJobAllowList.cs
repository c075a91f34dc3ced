using Microsoft.Extensions.Options;
using OrleansFs.Errors;

namespace OrleansFs.Grains.Lineage.Jobs;

/// <summary>
/// `Lineage:CommandJobs:Allowed`: a job's executable is allowed when it resolves to the same full path as an entry. A
/// full path stands for itself; a bare name is looked up in `Lineage:CommandJobs:Directory`; anything else (a
/// relative path, a name with no directory configured) is refused. Nothing is looked up on PATH.
/// </summary>
public sealed class CommandJobAllowList(IOptions<LineageOptions> options)
{
    private LineageCommandJobsOptions Jobs => options.Value.CommandJobs;

    /// <summary>The full path to start, or <see cref="FsException"/> (InvalidArgument) saying why it may not run.</summary>
    public string Resolve(string? executable)
    {
        if (string.IsNullOrWhiteSpace(executable))
            throw FsException.InvalidArgument(null, "a command-line lineage job needs an executable");
        string? full = ResolveEntry(executable);
        if (full is null || !Jobs.Allowed.Any(a => ResolveEntry(a) == full))
            throw FsException.InvalidArgument(null, $"executable '{executable}' is not allowed: add it to Lineage:CommandJobs:Allowed");
        if (!File.Exists(full))
            throw FsException.InvalidArgument(null, $"executable '{executable}' is allowed but {full} does not exist on this silo");
        return full;
    }

    private string? ResolveEntry(string name)
    {
        if (Path.IsPathFullyQualified(name)) return Path.GetFullPath(name);
        if (name.Contains('/') || name is "." or ".." || string.IsNullOrEmpty(Jobs.Directory)) return null;
        return Path.GetFullPath(Path.Combine(Jobs.Directory, name));
    }
}
