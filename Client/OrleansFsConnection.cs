using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansFs.Client.Streams;

namespace OrleansFs.Client;

/// <summary>A live connection from <see cref="OrleansFsClient.ConnectAsync"/>; dispose it to disconnect.</summary>
public sealed class OrleansFsConnection : IAsyncDisposable
{
    private readonly IHost _host;

    internal OrleansFsConnection(IHost host, IFileSystem fileSystem)
    {
        _host = host;
        FileSystem = fileSystem;
        Data = new FileDataClient(host.Services.GetRequiredService<IClusterClient>(), host.Services.GetRequiredService<Retry.RetryPipeline>(),
            host.Services.GetRequiredService<Streams.DataEndpoint.DataConnectionPool>());
    }

    public IFileSystem FileSystem { get; }

    /// <summary>File bytes: write and read streams, persist, free, load, pin, locations, worker statistics.</summary>
    public FileDataClient Data { get; }

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
