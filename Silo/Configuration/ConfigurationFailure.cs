using Microsoft.Extensions.Options;

namespace OrleansFs.Silo.Configuration;

/// <summary>
/// The one line an operator sees when the configuration cannot start a silo: every section's validator runs when
/// the host starts (before Orleans), and each failure names its `Section:Key`.
/// </summary>
public static class ConfigurationFailure
{
    /// <summary>The failures in <paramref name="exception"/> on one line, or null when it is not a configuration failure.</summary>
    public static string? OneLine(Exception exception)
    {
        var failures = Failures(exception);
        return failures is null ? null : string.Join("; ", failures.Select(f => f.ReplaceLineEndings(" ")));
    }

    private static List<string>? Failures(Exception exception) => exception switch
    {
        OptionsValidationException options => options.Failures.ToList(),
        AggregateException aggregate when aggregate.InnerExceptions.All(e => e is OptionsValidationException) =>
            aggregate.InnerExceptions.SelectMany(e => ((OptionsValidationException)e).Failures).ToList(),
        _ => null,
    };
}
