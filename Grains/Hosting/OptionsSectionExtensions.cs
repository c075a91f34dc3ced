using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace OrleansFs.Grains.Hosting;

/// <summary>
/// Registers one configuration section the same way for every OrleansFs options class: bound from its
/// section, checked by its <see cref="IValidateOptions{TOptions}"/> when the host starts (before Orleans), and a
/// value the binder cannot convert reported as a validation failure naming the key, not as a stack trace.
/// </summary>
public static partial class OptionsSectionExtensions
{
    public static OptionsBuilder<TOptions> AddOrleansFsSection<TOptions, TValidator>(
        this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return services.AddOptions<TOptions>()
            .Configure(options => BindSection(configuration.GetSection(section), options))
            .ValidateOnStart();
    }

    /// <summary>
    /// The section bound now, for the few choices made while services are registered (which providers to add);
    /// a value the binder cannot convert fails as <see cref="AddOrleansFsSection{TOptions, TValidator}"/>'s would.
    /// </summary>
    public static TOptions GetOrleansFsSection<TOptions>(this IConfiguration configuration, string section) where TOptions : class, new()
    {
        var options = new TOptions();
        BindSection(configuration.GetSection(section), options);
        return options;
    }

    private static void BindSection<TOptions>(IConfigurationSection section, TOptions options) where TOptions : class
    {
        try
        {
            section.Bind(options);
        }
        catch (InvalidOperationException e)
        {
            // The binder's message names the key ("... at 'Worker:MemoryBytes' to type ..."); lead with it.
            var key = BinderKey().Match(e.Message);
            string failure = key.Success ? $"{key.Groups[1].Value}: {e.Message}" : e.Message;
            throw new OptionsValidationException(Options.DefaultName, typeof(TOptions), [failure]);
        }
    }

    [GeneratedRegex("at '([^']+)'")]
    private static partial Regex BinderKey();
}
