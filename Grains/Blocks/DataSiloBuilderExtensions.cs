using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using OrleansFs.Grains.Blocks.DataEndpoint;
using OrleansFs.Grains.Blocks.Placement;
using OrleansFs.Grains.Blocks.Scrub;
using OrleansFs.Grains.Hosting;
using OrleansFs.Grains.Journal;
using OrleansFs.Grains.Master;
using OrleansFs.Grains.UnderStorage;
using OrleansFs.Security;

namespace OrleansFs.Grains.Blocks;

internal static class DataSiloBuilderExtensions
{
    /// <summary>
    /// The file-data side of a silo, a piece of <c>AddOrleansFs</c>: its block store (section <c>Worker</c>), the under-storage
    /// (section <c>UnderStorage</c>), the data endpoint for block bytes and the block placement directors (the lineage seam comes with <c>AddOrleansFsLineage</c>).
    /// </summary>
    internal static ISiloBuilder AddOrleansFsData(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        services.AddOrleansFsSection<WorkerOptions, WorkerOptionsValidator>(configuration, WorkerOptions.Section)
            .PostConfigure<IOptions<EndpointOptions>>((worker, endpoints) =>
            {
                // One memory directory per silo port, so a silo restarted on its port finds its blocks again.
                if (worker.Name == "worker") worker.Name = endpoints.Value.SiloPort.ToString();
            });
        services.AddOrleansFsSection<UnderStorageOptions, UnderStorageOptionsValidator>(configuration, UnderStorageOptions.Section);
        services.TryAddSingleton<NamespaceIdentity>();
        services.AddSingleton<BlockStore>();
        services.AddSingleton<BlockScrubber>();
        services.AddHostedService(sp => sp.GetRequiredService<BlockScrubber>());
        services.AddSingleton(sp =>
        {
            var security = sp.GetRequiredService<IOptions<SecurityOptions>>().Value;
            return new BlockAccessTokens(AccessTokenKey.Load(security.AccessTokenKeyPath), security.AccessTokenLifetime);
        });
        services.AddSingleton(sp =>
        {
            // The data endpoint speaks TLS with the silo's certificate when Security:Enabled; tokens are checked either way.
            var security = sp.GetRequiredService<IOptions<SecurityOptions>>().Value;
            var certificates = security.Enabled ? sp.GetRequiredService<CertificateSource>() : null;
            var tls = certificates is null ? null : new DataEndpointTls(() => certificates.ServerOptions(security.RequireClientCertificate));
            return new DataEndpointServer(sp.GetRequiredService<BlockStore>(), sp.GetRequiredService<BlockAccessTokens>(),
                sp.GetRequiredService<IOptions<WorkerOptions>>(), sp.GetRequiredService<IOptions<EndpointOptions>>(),
                sp.GetRequiredService<ILogger<DataEndpointServer>>(), tls);
        });
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<DataEndpointServer>());
        services.AddSingleton<IUnderStorage, DirectoryUnderStorage>();
        services.AddSingleton<IBlockFreer, BlockFreer>();
        services.AddPlacementDirector<BlockPlacement, BlockPlacementDirector>();
        services.AddPlacementDirector<SiloPinnedPlacement, SiloPinnedPlacementDirector>();
        return silo;
    }
}
