using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Grains.Journal;
using OrleansFs.Grains.Master;
using OrleansFs.Grains.Failover.Standby;

namespace OrleansFs.Unit.Tests.Journal;

/// <summary>
/// The warm standby following a live master on a real directory journal, and the next master continuing from
/// the standby's copy: the same namespace and retry cache as a full recovery, with only the tail replayed.
/// </summary>
public class MasterStandbyTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_master_taking_the_standby_copy_replays_only_the_tail_and_has_everything_the_old_master_acknowledged()
    {
        using var harness = new JournalHarness();
        var options = new MasterOptions { StandbyPollInterval = TimeSpan.FromMilliseconds(10) };
        using var standby = NewStandby(harness, options);
        await standby.StartAsync(CancellationToken.None);
        var old = await StartMaster(harness);
        await old.CreateDirectory("/data", recursive: false, Guid.NewGuid());
        for (int i = 0; i < 300; i++) await old.CreateFile($"/data/f{i:D3}", new CreateFileOptions(), Guid.NewGuid());
        await WaitUntil(() => standby.IsWarm && standby.LastSequence == old.Journal.LastSequence);

        // Written after the standby's last poll (or not): the new master replays whatever the copy lacks.
        var lastRequest = Guid.NewGuid();
        await old.Rename("/data/f000", "/data/renamed", lastRequest);
        await old.Delete("/data/f001", recursive: false, Guid.NewGuid());
        string[] acknowledged = MasterOnDirectoryJournalTests.Namespace(old);
        long lastSequence = old.Journal.LastSequence;
        await old.DisposeAsync();

        var copy = await standby.TakeAsync(CancellationToken.None);
        Assert.NotNull(copy);
        await using var next = NewMaster(harness, options);
        var recovery = await next.RecoverAsync("127.0.0.1:22222", CancellationToken.None, standby: copy);

        Assert.NotNull(recovery.ResumedFrom);
        Assert.Equal(lastSequence - recovery.ResumedFrom, recovery.RecordsReplayed);
        Assert.True(recovery.RecordsReplayed <= 2, $"replayed {recovery.RecordsReplayed} records; the standby had all but the last two");
        Assert.Equal(acknowledged, MasterOnDirectoryJournalTests.Namespace(next));
        // The retry cache came along: a retry of the old master's last rename gets its first answer, not NotFound.
        await next.Rename("/data/f000", "/data/renamed", lastRequest);
        await standby.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_standby_that_has_not_caught_up_gives_nothing_and_the_master_recovers_from_the_journal()
    {
        using var harness = new JournalHarness();
        await using (var first = await StartMaster(harness))
            await first.CreateDirectory("/kept", recursive: false, Guid.NewGuid());
        // Never started: no copy yet.
        using var standby = NewStandby(harness, new MasterOptions());

        Assert.Null(await standby.TakeAsync(CancellationToken.None));
        await using var next = NewMaster(harness, new MasterOptions());
        var recovery = await next.RecoverAsync("127.0.0.1:22222", CancellationToken.None, standby: null);
        Assert.Null(recovery.ResumedFrom);
        Assert.Equal(FsErrorCode.AlreadyExists,
            (await Assert.ThrowsAsync<FsException>(() => next.CreateDirectory("/kept", recursive: false, Guid.NewGuid()))).Code);
    }

    [Fact]
    public async Task After_the_master_leaves_its_silo_the_standby_follows_the_journal_again()
    {
        using var harness = new JournalHarness();
        var options = new MasterOptions { StandbyPollInterval = TimeSpan.FromMilliseconds(10) };
        using var standby = NewStandby(harness, options);
        await standby.StartAsync(CancellationToken.None);
        await using (var first = await StartMaster(harness))
            await first.CreateDirectory("/one", recursive: false, Guid.NewGuid());
        await WaitUntil(() => standby.IsWarm);
        Assert.NotNull(await standby.TakeAsync(CancellationToken.None));
        Assert.False(standby.IsWarm);

        standby.Release();
        var elsewhere = await StartMaster(harness);
        await elsewhere.CreateDirectory("/two", recursive: false, Guid.NewGuid());
        await WaitUntil(() => standby.IsWarm && standby.LastSequence == elsewhere.Journal.LastSequence);
        await elsewhere.DisposeAsync();
        await standby.StopAsync(CancellationToken.None);
    }

    private static MasterStandby NewStandby(JournalHarness harness, MasterOptions options)
    {
        var journalOptions = Options.Create(new JournalOptions { Directory = harness.Directory });
        var factory = new DirectoryJournalFactory(journalOptions, NullLoggerFactory.Instance);
        return new MasterStandby(factory, Options.Create(options), NullLogger<MasterStandby>.Instance);
    }

    private static MasterService NewMaster(JournalHarness harness, MasterOptions options)
    {
        var journalOptions = new JournalOptions { Directory = harness.Directory };
        var journal = new DirectoryJournal(journalOptions, NullLogger<DirectoryJournal>.Instance);
        return new MasterService(journal, options, journalOptions, TimeProvider.System, null, NullLogger.Instance);
    }

    private static async Task<MasterService> StartMaster(JournalHarness harness)
    {
        var master = NewMaster(harness, new MasterOptions());
        await master.RecoverAsync("127.0.0.1:11111", CancellationToken.None);
        return master;
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("the standby did not catch up within " + Wait);
            await Task.Delay(10);
        }
    }
}
