namespace OrleansFs.Lineage;

/// <summary>File access for an in-process job, over the silo's own connection to the cluster (retried across failovers).</summary>
public interface ILineageJobFiles
{
    /// <summary>A completed file, for reading (seekable).</summary>
    Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>
    /// A new file kept in worker memory (MUST_CACHE); disposing the stream completes it. The checkpoint policy persists
    /// lineage outputs later.
    /// </summary>
    Task<Stream> CreateAsync(string path, CancellationToken cancellationToken = default);
}
