using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansFs.Grains.Hosting;
using OrleansFs.Grains.Lineage.Checkpoint;
using OrleansFs.Grains.Lineage;
using OrleansFs.Grains.Master.Lease;

namespace OrleansFs.Grains.Master;

internal static class MasterServiceCollectionExtensions
{
    /// <summary>
    /// The master, a piece of <c>AddOrleansFs</c>: the `Master` section for <see cref="MasterGrain"/>, and its
    /// activation at startup. The journal comes from the <see cref="Journal.IJournalFactory"/> the journal registers.
    /// </summary>
    internal static IServiceCollection AddOrleansFsMaster(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOrleansFsSection<MasterOptions, MasterOptionsValidator>(configuration, MasterOptions.Section);
        services.AddOrleansFsSection<MasterLeaseOptions, MasterLeaseOptionsValidator>(configuration, MasterLeaseOptions.Section);
        services.AddOrleansFsSection<LineageCheckpointOptions, LineageCheckpointOptionsValidator>(configuration, LineageCheckpointOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        // Refuses command-line jobs until an allow-list validator is registered (AddSingleton after this one wins).
        services.TryAddSingleton<ILineageJobValidator, RefuseCommandLineJobValidator>();
        services.AddHostedService<MasterWarmup>();
        return services;
    }
}
