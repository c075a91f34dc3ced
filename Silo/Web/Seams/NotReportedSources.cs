using OrleansFs.Silo.Web.Models;

namespace OrleansFs.Silo.Web.Seams;

/// <summary>
/// The default lineage source until lineage is recorded: it answers "not reported" (null), so the page shows
/// that plainly instead of made-up records.
/// </summary>
public sealed class NotReportedSources : ILineageSource
{
    public Task<IReadOnlyList<LineageRecordModel>?> GetRecordsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<LineageRecordModel>?>(null);
}
