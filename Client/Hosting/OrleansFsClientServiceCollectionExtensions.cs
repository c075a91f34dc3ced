using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrleansFs.Client.FileSystem;
using OrleansFs.Client.Retry;

namespace OrleansFs.Client.Hosting;

public static class OrleansFsClientServiceCollectionExtensions
{
    /// <summary>
    /// Adds an Orleans client for an OrleansFs cluster and <see cref="IFileSystem"/> on top of it. The
    /// client connects when the host starts.
    /// </summary>
    public static IServiceCollection AddOrleansFsClient(this IServiceCollection services, Action<OrleansFsClientOptions> configure)
    {
        var options = new OrleansFsClientOptions();
        configure(options);
        services.AddSingleton(Options.Create(options));
        services.AddOrleansClient(client => ClientClustering.Configure(client, options));
        services.AddSingleton(sp => RetryPolicy.From(sp.GetRequiredService<IOptions<OrleansFsClientOptions>>().Value));
        services.AddSingleton<IFileSystem, OrleansFileSystem>();
        return services;
    }
}
