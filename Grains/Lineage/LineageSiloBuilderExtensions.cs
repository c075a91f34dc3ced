using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansFs.Grains.Hosting;
using OrleansFs.Grains.Lineage.Jobs;
using OrleansFs.Grains.Lineage.Recompute;

namespace OrleansFs.Grains.Lineage;

internal static class LineageSiloBuilderExtensions
{
    /// <summary>
    /// Lineage jobs and recompute, a piece of <c>AddOrleansFs</c>: the `Lineage` section, the allow-list validator the
    /// master calls at CreateLineage, the job runners, and the recomputer block grains ask before declaring a file LOST.
    /// </summary>
    internal static ISiloBuilder AddOrleansFsLineage(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        services.AddOrleansFsSection<LineageOptions, LineageOptionsValidator>(configuration, LineageOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<CommandJobAllowList>();
        services.AddSingleton<LineageJobTypes>();
        services.AddSingleton<CommandLineJobRunner>();
        services.AddSingleton<InProcessJobRunner>();
        services.AddSingleton<JobEnvironment>();
        services.AddSingleton<LineageJobExecutor>();
        services.AddSingleton<MasterCalls>();
        // Replaces the master's default, which refuses every command-line job.
        services.AddSingleton<ILineageJobValidator, AllowListJobValidator>();
        services.AddSingleton<ILineageRecomputer, LineageRecomputer>();
        return silo;
    }
}
