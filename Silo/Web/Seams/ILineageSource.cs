using OrleansFs.Silo.Web.Models;

namespace OrleansFs.Silo.Web.Seams;

/// <summary>Seam for lineage: the recorded jobs. Null means this build records no lineage (the default).</summary>
public interface ILineageSource
{
    Task<IReadOnlyList<LineageRecordModel>?> GetRecordsAsync(CancellationToken cancellationToken);
}
