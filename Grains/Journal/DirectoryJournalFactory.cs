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

    public JournalTailer CreateTailer()
    {
        JournalOptions options = _options.Value;
        var layout = new JournalLayout(options.Directory);
        var logger = _loggerFactory.CreateLogger<JournalTailer>();
        return new JournalTailer(layout, new DirectoryEpochStore(layout.EpochsDirectory, logger, options.Fsync), logger);
    }
}
