using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrleansFs.Client.Caching;
using OrleansFs.Client.FileSystem;
using OrleansFs.Client.Retry;
using OrleansFs.Client.Tls;
using OrleansFs.Client.Streams.DataEndpoint;
using OrleansFs.Security;

namespace OrleansFs.Client.Hosting;

public static class OrleansFsClientServiceCollectionExtensions
{
    /// <summary>
    /// Adds an Orleans client for an OrleansFs cluster and <see cref="IFileSystem"/> on top of it. The
    /// client connects when the host starts, after the options are validated (<see cref="OrleansFsClientOptionsValidator"/>).
    /// </summary>
    public static IServiceCollection AddOrleansFsClient(this IServiceCollection services, Action<OrleansFsClientOptions> configure)
    {
        var options = new OrleansFsClientOptions();
        configure(options);
        services.AddOptions<OrleansFsClientOptions>().Configure(o => options.CopyTo(o)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OrleansFsClientOptions>, OrleansFsClientOptionsValidator>();
        // The client's CA and certificate for every TLS link (gateways, data endpoint, ZooKeeper), files re-read when renewed.
        services.TryAddSingleton(sp => CertificateSource.ForClient(options.Tls, sp.GetService<ILogger<CertificateSource>>()));
        var gatewayLoss = new GatewayLossSignal();
        services.AddSingleton(gatewayLoss);
        var tlsReport = new GatewayTlsReport();
        services.AddSingleton(tlsReport);
        services.AddOrleansClient(client =>
        {
            ClientClustering.Configure(client, options, tlsReport);
            ClientTls.Configure(client, options.Tls, tlsReport);
            client.AddGatewayCountChangedHandler((_, e) => gatewayLoss.OnGatewayCountChanged(e.NumberOfConnectedGateways, e.PreviousNumberOfConnectedGateways));
        });
        services.AddSingleton(sp => RetryPipeline.From(sp.GetRequiredService<IOptions<OrleansFsClientOptions>>().Value, gatewayLoss));
        // Opt-in (MetadataCacheMaxAge): every call to the master that changes the namespace drops what it made stale.
        var metadataCache = MetadataCache.From(options);
        if (metadataCache is not null) services.AddSingleton<IOutgoingGrainCallFilter>(new MetadataCacheFilter(metadataCache));
        services.AddSingleton<IFileSystem>(sp => new OrleansFileSystem(sp.GetRequiredService<IGrainFactory>(), sp.GetRequiredService<RetryPipeline>(),
            metadataCache, options.ListingPageSize));
        if (options.Tls.IsEnabled)
        {
            // Workers are dialled at the addresses the cluster advertises: their certificates are checked against the CA, not a host name.
            services.AddSingleton(sp =>
            {
                var certificates = sp.GetRequiredService<CertificateSource>();
                return new DataConnectionPool(new DataClientTls(host => certificates.ClientOptions(host, checkHostName: false)));
            });
        }
        else
        {
            services.AddSingleton(DataConnectionPool.Shared);
        }
        return services;
    }
}
