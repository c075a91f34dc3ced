using OrleansFs.Errors;
using OrleansFs.Lineage;

namespace OrleansFs.Grains.Lineage;

/// <summary>
/// The validator when nothing else is registered: command-line jobs run programs on silos, so none is allowed;
/// an in-process job needs a type name; any other kind is refused.
/// </summary>
public sealed class RefuseCommandLineJobValidator : ILineageJobValidator
{
    public void Validate(LineageJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        switch (job.Kind)
        {
            case LineageJobKind.CommandLine:
                throw FsException.InvalidArgument(null,
                    $"executable '{job.Executable}' is not allowed: add it to Lineage:CommandJobs:Allowed");
            case LineageJobKind.InProcess when string.IsNullOrWhiteSpace(job.TypeName):
                throw FsException.InvalidArgument(null, "an in-process lineage job needs a type name");
            case LineageJobKind.InProcess:
                return;
            default:
                throw FsException.InvalidArgument(null, $"unknown lineage job kind {(int)job.Kind}");
        }
    }
}
