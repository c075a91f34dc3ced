using Microsoft.Extensions.Hosting;

namespace OrleansFs.Client;

/// <summary>A live connection from <see cref="OrleansFsClient.ConnectAsync"/>; dispose it to disconnect.</summary>
public sealed class OrleansFsConnection : IAsyncDisposable
{
    private readonly IHost _host;

    internal OrleansFsConnection(IHost host, IFileSystem fileSystem)
    {
        _host = host;
        FileSystem = fileSystem;
    }

    public IFileSystem FileSystem { get; }

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
