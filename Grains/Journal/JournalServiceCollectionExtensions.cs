using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace OrleansFs.Grains.Journal;

public static class JournalServiceCollectionExtensions
{
    /// <summary>
    /// Registers the master's journal: binds the `Journal` section of <paramref name="configuration"/> (if
    /// given; the host may bind it itself), validates it at startup and registers <see cref="IJournalFactory"/>.
    /// </summary>
    public static IServiceCollection AddOrleansFsJournal(this IServiceCollection services, IConfiguration? configuration = null)
    {
        OptionsBuilder<JournalOptions> options = services.AddOptions<JournalOptions>();
        if (configuration is not null) options.Bind(configuration.GetSection(JournalOptions.Section));
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JournalOptions>, JournalOptionsValidator>());
        services.TryAddSingleton<IJournalFactory, DirectoryJournalFactory>();
        return services;
    }
}
