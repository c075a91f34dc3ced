using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrleansFs.Grains.Journal;

/// <summary>
/// The directory journal with its epochs in ZooKeeper (<see cref="ZooKeeperEpochStore"/>): used when the cluster's
/// membership is in ZooKeeper, so fencing does not depend on a shared file system's cache coherence.
/// </summary>
public sealed class ZooKeeperJournalFactory : IJournalFactory
{
    private readonly IOptions<JournalOptions> _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ZooKeeperEpochStore _epochs;

    public ZooKeeperJournalFactory(IOptions<JournalOptions> options, ILoggerFactory loggerFactory, ZooKeeperEpochStore epochs)
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

    public JournalTailer CreateTailer()
    {
        JournalOptions options = _options.Value;
        var layout = new JournalLayout(options.Directory);
        var logger = _loggerFactory.CreateLogger<JournalTailer>();
        return new JournalTailer(layout, _epochs, logger);
    }
}
