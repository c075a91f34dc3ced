using OrleansFs.Grains.Lineage;
using OrleansFs.Lineage;

namespace OrleansFs.Tests.Lineage;

/// <summary>
/// These tests record jobs, never run them: any in-process type name is accepted, whatever the silo's assemblies hold;
/// command-line jobs are refused as the master's default refuses them.
/// </summary>
public sealed class AnyInProcessJobValidator : ILineageJobValidator
{
    private readonly RefuseCommandLineJobValidator _default = new();

    public void Validate(LineageJob job)
    {
        if (job.Kind != LineageJobKind.InProcess) _default.Validate(job);
    }
}
