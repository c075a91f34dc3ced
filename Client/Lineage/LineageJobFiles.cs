using OrleansFs.Client.Streams;
using OrleansFs.Files;
using OrleansFs.Lineage;

namespace OrleansFs.Client.Lineage;

/// <summary>
/// <see cref="ILineageJobFiles"/> over the client core's streams: what a silo hands its in-process lineage jobs, built
/// on the silo's own grain factory and a retrying pipeline. Outputs are written MUST_CACHE.
/// </summary>
public sealed class LineageJobFiles(FileDataClient data) : ILineageJobFiles
{
    public async Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default) =>
        await data.OpenFileAsync(path, cancellationToken: cancellationToken);

    public async Task<Stream> CreateAsync(string path, CancellationToken cancellationToken = default) =>
        await data.CreateFileAsync(path, new CreateFileOptions { WriteType = WriteType.MustCache }, cancellationToken);
}
