using Microsoft.Extensions.Logging.Abstractions;
using OrleansFs.Grains.Journal;
using OrleansFs.Grains.Master;
using OrleansFs.Tests.Master.Fakes;

namespace OrleansFs.Tests.Master;

/// <summary>A <see cref="MasterService"/> over the in-memory journal, with a manual clock; restartable.</summary>
public sealed class TestMaster : IAsyncDisposable
{
    private TestMaster(InMemoryJournalStore store, ManualClock clock, MasterOptions options, JournalOptions journalOptions, MasterService service)
    {
        Store = store;
        Clock = clock;
        Options = options;
        JournalOptions = journalOptions;
        Service = service;
    }

    public InMemoryJournalStore Store { get; }
    public ManualClock Clock { get; }
    public MasterOptions Options { get; }
    public JournalOptions JournalOptions { get; }
    public MasterService Service { get; }

    public static async Task<TestMaster> StartAsync(
        InMemoryJournalStore? store = null, ManualClock? clock = null, MasterOptions? options = null, JournalOptions? journalOptions = null)
    {
        store ??= new InMemoryJournalStore();
        clock ??= new ManualClock();
        options ??= new MasterOptions();
        // No automatic checkpoints unless a test asks for them.
        journalOptions ??= new JournalOptions { CheckpointRecords = long.MaxValue, CheckpointBytes = long.MaxValue };
        var service = new MasterService(store.Open(), options, journalOptions, clock, null, NullLogger.Instance);
        await service.RecoverAsync("127.0.0.1:11111", CancellationToken.None);
        return new TestMaster(store, clock, options, journalOptions, service);
    }

    /// <summary>Closes this master and starts a new one that recovers from the same journal.</summary>
    public async Task<TestMaster> RestartAsync()
    {
        await Service.DisposeAsync();
        return await StartAsync(Store, Clock, Options, JournalOptions);
    }

    public string Dump(int takeoversToSkipAtEnd = 0) => NamespaceDump.Of(Service.State, Service.Retry, takeoversToSkipAtEnd);

    /// <summary>The namespace alone, without the retry cache (refused requests are remembered there, by design).</summary>
    public string NamespaceOnly() => NamespaceDump.Of(Service.State, null);

    public ValueTask DisposeAsync() => Service.DisposeAsync();
}
