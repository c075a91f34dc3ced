namespace OrleansFs.Lineage;

/// <summary>
/// An in-process lineage job: a .NET type the silo finds by its full name among its loaded assemblies (its own, or
/// those listed in <c>Lineage:JobAssemblies</c>) and creates for each attempt, with constructor arguments taken from
/// the silo's services. It reads <see cref="LineageJobContext.Inputs"/> and writes every one of
/// <see cref="LineageJobContext.Outputs"/> through <see cref="LineageJobContext.Files"/>: during a recompute the
/// outputs are scratch paths, so a job must write the paths it is given, and the same bytes every time.
/// </summary>
public interface ILineageJob
{
    /// <summary>Returns when the outputs are written; throws to fail the attempt. <paramref name="cancellationToken"/> fires at the run's deadline.</summary>
    Task RunAsync(LineageJobContext context, CancellationToken cancellationToken);
}
