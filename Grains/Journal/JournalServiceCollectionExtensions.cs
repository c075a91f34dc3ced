using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansFs.Grains.Hosting;
using OrleansFs.Grains.Journal.PostgreSql;

namespace OrleansFs.Grains.Journal;

internal static class JournalServiceCollectionExtensions
{
    /// <summary>
    /// The master's journal, a piece of <c>AddOrleansFs</c>: the `Journal` and `PostgreSql` sections, validated at
    /// startup, and the <see cref="IJournalFactory"/>: the directory journal, or the PostgreSQL one for
    /// `Journal:Kind=PostgreSql` (failover gives the directory journal ZooKeeper's epochs when membership is there).
    /// </summary>
    internal static IServiceCollection AddOrleansFsJournal(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOrleansFsSection<JournalOptions, JournalOptionsValidator>(configuration, JournalOptions.Section);
        services.AddOrleansFsSection<PostgreSqlOptions, PostgreSqlOptionsValidator>(configuration, PostgreSqlOptions.Section);
        services.TryAddSingleton<IJournalFactory>(sp => CreateFactory(sp, epochs: null));
        return services;
    }

    /// <summary>The journal <c>Journal:Kind</c> names; <paramref name="epochs"/> replaces the directory journal's own epoch files.</summary>
    internal static IJournalFactory CreateFactory(IServiceProvider services, IEpochStore? epochs)
    {
        var journal = services.GetRequiredService<IOptions<JournalOptions>>();
        var loggers = services.GetRequiredService<ILoggerFactory>();
        return JournalOptionsValidator.IsPostgreSql(journal.Value.Kind)
            ? new PostgreSqlJournalFactory(services.GetRequiredService<IOptions<PostgreSqlOptions>>(), loggers)
            : new DirectoryJournalFactory(journal, loggers, epochs);
    }
}
