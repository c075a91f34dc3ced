using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansFs.Client.Streams;
using MetadataReads = OrleansFs.Client.FileSystem.MetadataReads;

namespace OrleansFs.Client;

/// <summary>A live connection from <see cref="OrleansFsClient.ConnectAsync"/>; dispose it to disconnect.</summary>
public sealed class OrleansFsConnection : IAsyncDisposable
{
    private readonly IHost _host;

    internal OrleansFsConnection(IHost host, IFileSystem fileSystem)
    {
        _host = host;
        FileSystem = fileSystem;
        // The grain factory IFileSystem is built on: MetadataReads keeps one position per factory.
        Data = new FileDataClient(host.Services.GetRequiredService<IGrainFactory>(), host.Services.GetRequiredService<Retry.RetryPipeline>(),
            host.Services.GetRequiredService<Streams.DataEndpoint.DataConnectionPool>());
    }

    public IFileSystem FileSystem { get; }

    /// <summary>File bytes: write and read streams, persist, free, load, pin, locations, worker statistics.</summary>
    public FileDataClient Data { get; }

    /// <summary>
    /// This connection's read-only metadata calls and the highest journal position it has seen
    /// (<see cref="MetadataReads.Seen"/>); another connection that observes it reads at least that state, as an
    /// HDFS client's msync does.
    /// </summary>
    public MetadataReads Reads => MetadataReads.For(_host.Services.GetRequiredService<IGrainFactory>());

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(TimeSpan.FromSeconds(5));
        }
        finally
        {
            _host.Dispose();
        }
    }
}
