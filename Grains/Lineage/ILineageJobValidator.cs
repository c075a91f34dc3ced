using OrleansFs.Lineage;

namespace OrleansFs.Grains.Lineage;

/// <summary>
/// Decides at <c>CreateLineage</c> whether a job may ever run on this cluster, so a refused job is an error when it
/// is recorded, not when a read needs it recomputed. Called by the master before anything is journaled; replay
/// never calls it (a lineage recorded once stays recorded).
/// </summary>
public interface ILineageJobValidator
{
    /// <summary>Throws <see cref="OrleansFs.Errors.FsException"/> (<c>InvalidArgument</c>, saying how to allow it) for a refused job.</summary>
    void Validate(LineageJob job);
}
