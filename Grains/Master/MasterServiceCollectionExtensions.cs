using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansFs.Grains.Journal;
using OrleansFs.Grains.Master.Handoff;
using OrleansFs.Grains.Master.Standby;

namespace OrleansFs.Grains.Master;

public static class MasterServiceCollectionExtensions
{
    /// <summary>
    /// Binds the `Master` and `Journal` sections for <see cref="MasterGrain"/>. The journal itself comes from
    /// an <see cref="IJournalFactory"/> registered by the journal backend.
    /// </summary>
    public static IServiceCollection AddOrleansFsMaster(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MasterOptions>()
            .Bind(configuration.GetSection(MasterOptions.Section))
            .Validate(o => o.RetryCacheWindow > TimeSpan.Zero, "Master:RetryCacheWindow must be positive")
            .Validate(o => o.RetryCacheMaxEntries > 0, "Master:RetryCacheMaxEntries must be positive")
            .Validate(o => o.TtlCheckPeriod > TimeSpan.Zero, "Master:TtlCheckPeriod must be positive")
            .Validate(o => o.CleanupWaitTimeout > TimeSpan.Zero, "Master:CleanupWaitTimeout must be positive")
            .Validate(o => o.MetadataSyncBlockSizeBytes > 0, "Master:MetadataSyncBlockSizeBytes must be positive")
            .Validate(o => o.PersistRecheckPeriod > TimeSpan.Zero, "Master:PersistRecheckPeriod must be positive")
            .Validate(o => o.StandbyPollInterval > TimeSpan.Zero, "Master:StandbyPollInterval must be positive");
        services.AddOptions<JournalOptions>().Bind(configuration.GetSection(JournalOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MasterStandby>();
        services.AddHostedService(sp => sp.GetRequiredService<MasterStandby>());
        MasterDirectory.AddTo(services);
        return services;
    }
}
