using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrleansFs.Grains.Journal;

/// <summary>
/// Creates a <see cref="DirectoryJournal"/> for each master activation (and a <see cref="JournalTailer"/> for the
/// warm standby) from the `Journal` options. Epochs live in the journal directory unless an epoch store is given:
/// <see cref="ZooKeeperEpochStore"/> when the cluster's membership is in ZooKeeper, so fencing does not depend on
/// a shared file system's cache coherence.
/// </summary>
public sealed class DirectoryJournalFactory : IJournalFactory
{
    private readonly IOptions<JournalOptions> _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly IEpochStore? _epochs;

    public DirectoryJournalFactory(IOptions<JournalOptions> options, ILoggerFactory loggerFactory, IEpochStore? epochs = null)
    {
        _options = options;
        _loggerFactory = loggerFactory;
        _epochs = epochs;
    }

    public IJournal Create()
    {
        JournalOptions options = _options.Value;
        ValidateOptionsResult check = new JournalOptionsValidator().Validate(null, options);
        if (check.Failed) throw new OptionsValidationException(JournalOptions.Section, typeof(JournalOptions), check.Failures);
        return new DirectoryJournal(options, _loggerFactory.CreateLogger<DirectoryJournal>(), _epochs);
    }

    public IJournalTailer CreateTailer()
    {
        JournalOptions options = _options.Value;
        var layout = new JournalLayout(options.Directory);
        var logger = _loggerFactory.CreateLogger<JournalTailer>();
        return new JournalTailer(layout, _epochs ?? new DirectoryEpochStore(layout.EpochsDirectory, logger, options.Fsync), logger);
    }
}
