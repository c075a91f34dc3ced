using OrleansFs.Errors;
using OrleansFs.Grains.Lineage.Jobs;
using OrleansFs.Lineage;

namespace OrleansFs.Grains.Lineage;

/// <summary>
/// The validator a silo uses: a command-line job's executable must be on `Lineage:CommandJobs:Allowed` (and exist),
/// its working directory a full path; an in-process job's type must be found among the silo's assemblies.
/// </summary>
public sealed class AllowListJobValidator(CommandJobAllowList allowList, LineageJobTypes types) : ILineageJobValidator
{
    public void Validate(LineageJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        switch (job.Kind)
        {
            case LineageJobKind.CommandLine:
                allowList.Resolve(job.Executable);
                if (job.WorkingDirectory is { } directory && !Path.IsPathFullyQualified(directory))
                    throw FsException.InvalidArgument(null, $"working directory '{directory}' must be a full path");
                return;
            case LineageJobKind.InProcess:
                types.Find(job.TypeName);
                return;
            default:
                throw FsException.InvalidArgument(null, $"unknown lineage job kind {(int)job.Kind}");
        }
    }
}
