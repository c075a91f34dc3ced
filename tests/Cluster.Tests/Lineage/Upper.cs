using OrleansFs.Lineage;

namespace Tests;

/// <summary>
/// The in-process job the lineage record tests name ("Tests.Upper"): the silo's validator only accepts a job whose
/// type it can load. These tests are about records, so it writes nothing.
/// </summary>
public sealed class Upper : ILineageJob
{
    public Task RunAsync(LineageJobContext context, CancellationToken cancellationToken) => Task.CompletedTask;
}
