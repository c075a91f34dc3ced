using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Grains.Journal;
using OrleansFs.Grains.Master;
using OrleansFs.TestSupport;

namespace OrleansFs.Tests.Master;

/// <summary>Two master instances on one directory journal: the older one is fenced and stops serving.</summary>
public sealed class MasterFencingTests : IDisposable
{
    private readonly TempDirectory _dir = new("ofs-master-fencing");

    [Fact]
    public async Task A_stale_master_cannot_acknowledge_after_a_newer_one_took_over_and_stops_serving()
    {
        var old = await Start();
        await old.CreateFile("/acknowledged", new CreateFileOptions(), Guid.NewGuid());
        bool stopped = false;
        old.Stopped += () => stopped = true;

        var current = await Start();
        var refused = await Assert.ThrowsAsync<FsException>(() => old.CreateFile("/stale", new CreateFileOptions(), Guid.NewGuid()));
        var laterRead = Assert.Throws<FsException>(() => old.GetStatus("/acknowledged"));

        Assert.Equal(FsErrorCode.Unavailable, refused.Code);
        Assert.Equal(FsErrorCode.Unavailable, laterRead.Code);
        Assert.True(stopped);
        Assert.Equal(old.Journal.Epoch + 1, current.Journal.Epoch);
        Assert.Equal("/acknowledged", current.GetStatus("/acknowledged").Path);
        await current.CreateFile("/next", new CreateFileOptions(), Guid.NewGuid());
        await current.DisposeAsync();
        await old.DisposeAsync();

        // What the stale master tried is not in the journal: a third master never sees it.
        var third = await Start();
        Assert.Equal(new[] { "/acknowledged", "/next" }, third.ListStatus("/", false).Select(s => s.Path));
        Assert.Equal(3, third.GetTakeovers().Count);
        await third.DisposeAsync();
    }

    private async Task<MasterService> Start()
    {
        var options = new JournalOptions { Directory = _dir.Path, Fsync = false };
        var journal = new DirectoryJournalFactory(Options.Create(options), NullLoggerFactory.Instance).Create();
        var master = new MasterService(journal, new MasterOptions(), options, TimeProvider.System, null, NullLogger.Instance);
        await master.RecoverAsync("127.0.0.1:11111", CancellationToken.None);
        return master;
    }

    public void Dispose() => _dir.Dispose();
}
