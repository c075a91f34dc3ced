using Microsoft.Extensions.Logging.Abstractions;
using OrleansFs.Errors;
using OrleansFs.Grains.Journal;
using OrleansFs.TestSupport;

namespace OrleansFs.Unit.Tests.Journal;

/// <summary>
/// A master cut off from its epoch store (ZooKeeper) must fail closed: the writer's epoch check gives up after
/// Journal:EpochCheckTimeout, nothing is acknowledged, and the journal refuses everything after.
/// </summary>
public sealed class EpochCheckTimeoutTests : IDisposable
{
    private readonly TempDirectory _dir = new("ofs-epoch-timeout");

    [Fact]
    public async Task A_batch_whose_epoch_check_gets_no_answer_fails_unavailable_and_is_not_acknowledged()
    {
        var store = new SilentEpochStore(new DirectoryEpochStore(Path.Combine(_dir.Path, "epochs"), NullLogger.Instance, fsync: false));
        var options = new JournalOptions { Directory = _dir.Path, Fsync = false, EpochCheckTimeout = TimeSpan.FromMilliseconds(200) };
        await using var journal = new DirectoryJournal(options, NullLogger<DirectoryJournal>.Instance, store);
        await JournalTestState.RecoverAsync(journal);
        long acknowledged = await journal.Append(JournalTestState.RecordType, JournalTestState.Payload("before the cut"));

        store.Silent = true;
        var append = journal.Append(JournalTestState.RecordType, JournalTestState.Payload("after the cut"));
        var failure = await Assert.ThrowsAsync<FsException>(() => append.WaitAsync(TimeSpan.FromSeconds(30)));
        store.Silent = false;
        var later = await Assert.ThrowsAsync<FsException>(() => journal.Append(JournalTestState.RecordType, JournalTestState.Payload("later")));

        Assert.Equal(1, acknowledged);
        Assert.Equal(FsErrorCode.Unavailable, failure.Code);
        Assert.Contains("did not confirm journal epoch", failure.Message);
        Assert.Equal(FsErrorCode.Unavailable, later.Code);
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>An epoch store whose epoch checks get no answer while <see cref="Silent"/>, as ZooKeeper behind a dropped link.</summary>
    private sealed class SilentEpochStore(IEpochStore inner) : IEpochStore
    {
        public volatile bool Silent;

        public string Location => inner.Location;
        public Task<long> TakeNextAsync(CancellationToken cancellationToken) => inner.TakeNextAsync(cancellationToken);
        public Task<IReadOnlyList<EpochInfo>> ReadAllAsync(CancellationToken cancellationToken) => inner.ReadAllAsync(cancellationToken);
        public Task SealAsync(long epoch, long lastSequence, CancellationToken cancellationToken) => inner.SealAsync(epoch, lastSequence, cancellationToken);

        public async ValueTask<bool> IsSupersededAsync(long epoch, CancellationToken cancellationToken)
        {
            if (Silent) await Task.Delay(Timeout.Infinite, cancellationToken);
            return await inner.IsSupersededAsync(epoch, cancellationToken);
        }
    }
}
