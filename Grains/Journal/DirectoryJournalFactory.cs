using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrleansFs.Grains.Journal;

/// <summary>Creates a <see cref="DirectoryJournal"/> for each master activation from the `Journal` options.</summary>
public sealed class DirectoryJournalFactory : IJournalFactory
{
    private readonly IOptions<JournalOptions> _options;
    private readonly ILoggerFactory _loggerFactory;

    public DirectoryJournalFactory(IOptions<JournalOptions> options, ILoggerFactory loggerFactory)
    {
        _options = options;
        _loggerFactory = loggerFactory;
    }

    public IJournal Create()
    {
        JournalOptions options = _options.Value;
        ValidateOptionsResult check = new JournalOptionsValidator().Validate(null, options);
        if (check.Failed) throw new OptionsValidationException(JournalOptions.Section, typeof(JournalOptions), check.Failures);
        return new DirectoryJournal(options, _loggerFactory.CreateLogger<DirectoryJournal>());
    }
}
