using OrleansFs.Silo.Web.Models;
using OrleansFs.Silo.Web.Seams;

namespace OrleansFs.Silo.Web.Data;

public sealed class LineageReader(ILineageSource source)
{
    public async Task<LineageModel> ReadAsync(CancellationToken cancellationToken)
    {
        var records = await source.GetRecordsAsync(cancellationToken);
        return new LineageModel(records ?? [], records is not null);
    }
}
