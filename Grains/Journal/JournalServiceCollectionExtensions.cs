using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansFs.Grains.Journal.PostgreSql;

namespace OrleansFs.Grains.Journal;

public static class JournalServiceCollectionExtensions
{
    /// <summary>
    /// Registers the master's journal: binds the `Journal` (and `PostgreSql`) sections of <paramref name="configuration"/>
    /// (if given; the host may bind them itself), validates them at startup and registers <see cref="IJournalFactory"/>:
    /// the directory journal, or the PostgreSQL one for `Journal:Kind=PostgreSql`.
    /// </summary>
    public static IServiceCollection AddOrleansFsJournal(this IServiceCollection services, IConfiguration? configuration = null)
    {
        OptionsBuilder<JournalOptions> options = services.AddOptions<JournalOptions>();
        if (configuration is not null) options.Bind(configuration.GetSection(JournalOptions.Section));
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JournalOptions>, JournalOptionsValidator>());
        AddPostgreSqlOptions(services, configuration);
        services.TryAddSingleton<IJournalFactory>(sp =>
            JournalOptionsValidator.IsPostgreSql(sp.GetRequiredService<IOptions<JournalOptions>>().Value.Kind)
                ? new PostgreSqlJournalFactory(sp.GetRequiredService<IOptions<PostgreSqlOptions>>(), sp.GetRequiredService<ILoggerFactory>())
                : new DirectoryJournalFactory(sp.GetRequiredService<IOptions<JournalOptions>>(), sp.GetRequiredService<ILoggerFactory>()));
        return services;
    }

    /// <summary>The `PostgreSql` section; its connection string is required (at startup) only when the journal is there.</summary>
    private static void AddPostgreSqlOptions(IServiceCollection services, IConfiguration? configuration)
    {
        OptionsBuilder<PostgreSqlOptions> postgres = services.AddOptions<PostgreSqlOptions>();
        if (configuration is null) return;
        postgres.Bind(configuration.GetSection(PostgreSqlOptions.Section));
        if (!JournalOptionsValidator.IsPostgreSql(configuration[$"{JournalOptions.Section}:Kind"])) return;
        postgres.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlOptions>, PostgreSqlOptionsValidator>());
    }
}
