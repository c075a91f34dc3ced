using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansFs.Grains.Hosting;

namespace OrleansFs.Grains.Journal;

internal static class JournalServiceCollectionExtensions
{
    /// <summary>
    /// The master's journal, a piece of <c>AddOrleansFs</c>: the `Journal` section, validated at startup, and
    /// the <see cref="IJournalFactory"/> (failover replaces it with one that keeps epochs in ZooKeeper when membership is there).
    /// </summary>
    internal static IServiceCollection AddOrleansFsJournal(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOrleansFsSection<JournalOptions, JournalOptionsValidator>(configuration, JournalOptions.Section);
        services.TryAddSingleton<IJournalFactory, DirectoryJournalFactory>();
        return services;
    }
}
