using Orleans.Runtime;
using OrleansFs.Files;
using OrleansFs.Silo.Web.Models;

namespace OrleansFs.Silo.Web.Seams;

/// <summary>
/// The defaults behind every seam until the part that knows the answer registers itself: each answers
/// "not reported" (null), so the pages show that plainly instead of made-up numbers.
/// </summary>
public sealed class NotReportedSources : IWorkerStatsSource, IBlockLocator, IFileContentReader, ILineageSource
{
    public bool ReportsLocations => false;

    public Task<IReadOnlyDictionary<SiloAddress, WorkerStats>?> GetAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<SiloAddress, WorkerStats>?>(null);

    public Task<IReadOnlyList<BlockLocation>?> LocateAsync(FileStatus file, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<BlockLocation>?>(null);

    public Task<ReadOnlyMemory<byte>?> ReadHeadAsync(FileStatus file, int count, CancellationToken cancellationToken) =>
        Task.FromResult<ReadOnlyMemory<byte>?>(null);

    public Task<IReadOnlyList<LineageRecordModel>?> GetRecordsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<LineageRecordModel>?>(null);
}
