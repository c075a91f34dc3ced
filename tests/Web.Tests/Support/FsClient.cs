using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using OrleansFs.Client.Streams;
using OrleansFs.Files;
using OrleansFs.Master;

namespace OrleansFs.Tests.Web.Support;

/// <summary>An Orleans client on a silo's gateway that writes files as applications do (the client's data streams).</summary>
public sealed class FsClient : IAsyncDisposable
{
    private readonly IHost _host;

    private FsClient(IHost host) => _host = host;

    private IClusterClient Cluster => _host.Services.GetRequiredService<IClusterClient>();

    public IMasterGrain Master => Cluster.GetGrain<IMasterGrain>(IMasterGrain.Key);

    public static async Task<FsClient> ConnectAsync(int gatewayPort, string clusterId)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client => client
            .UseStaticClustering(new IPEndPoint(IPAddress.Loopback, gatewayPort))
            .Configure<ClusterOptions>(o => { o.ClusterId = clusterId; o.ServiceId = clusterId; }));
        var host = builder.Build();
        await host.StartAsync();
        return new FsClient(host);
    }

    /// <summary>Writes a file through the block data path (same-host file, data endpoint or grain calls, as allowed) and completes it.</summary>
    public async Task<FileStatus> WriteFileAsync(string path, ReadOnlyMemory<byte> content, CreateFileOptions? options = null,
        bool shortCircuit = true, bool dataEndpoint = true)
    {
        var data = new FileDataClient(Cluster);
        await using (var stream = await data.CreateFileAsync(path, options ?? new CreateFileOptions(), shortCircuit: shortCircuit, dataEndpoint: dataEndpoint))
        {
            await stream.WriteAsync(content);
        }
        return await Master.GetStatus(path);
    }

    /// <summary>Reads a whole file through the client's read stream, the ways <paramref name="options"/> allow.</summary>
    public async Task<byte[]> ReadFileAsync(string path, OpenFileOptions options)
    {
        await using var stream = await new FileDataClient(Cluster).OpenFileAsync(path, options);
        var content = new MemoryStream();
        await stream.CopyToAsync(content);
        return content.ToArray();
    }

    /// <summary>Drops a persisted file's blocks from worker memory, as `ofs free` does.</summary>
    public Task FreeAsync(string path) => new FileDataClient(Cluster).FreeAsync(path);

    public Task<FileStatus> CreateDirectoryAsync(string path) => Master.CreateDirectory(path, true, Guid.NewGuid());

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
