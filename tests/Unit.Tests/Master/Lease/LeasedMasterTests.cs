using Microsoft.Extensions.Logging.Abstractions;
using OrleansFs.Client.Retry;
using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Grains.Journal;
using OrleansFs.Grains.Master;
using OrleansFs.Grains.Master.Lease;
using OrleansFs.Tests.Master.Fakes;

namespace OrleansFs.Tests.Master.Lease;

/// <summary>A master that cannot confirm its epoch within its lease refuses reads and writes, with an error clients retry elsewhere.</summary>
public sealed class LeasedMasterTests : IAsyncDisposable
{
    private static readonly TimeSpan Length = TimeSpan.FromMilliseconds(750);
    private readonly TimestampClock _clock = new();
    private readonly InMemoryJournalStore _store = new();
    private readonly List<MasterService> _masters = [];

    [Fact]
    public async Task A_master_within_its_lease_answers_reads_and_writes()
    {
        var (master, lease) = await StartAsync();
        lease.Renew(_clock.GetTimestamp());

        await master.CreateFile("/a", new CreateFileOptions(), Guid.NewGuid());

        Assert.Equal("/a", master.GetStatus("/a").Path);
    }

    [Fact]
    public async Task A_lapsed_lease_refuses_reads_and_writes_as_transient_and_journals_nothing()
    {
        var (master, lease) = await StartAsync();
        lease.Renew(_clock.GetTimestamp());
        await master.CreateFile("/a", new CreateFileOptions(), Guid.NewGuid());
        int records = _store.RecordCount;

        _clock.Advance(Length);
        var read = Assert.Throws<FsException>(() => master.GetStatus("/a"));
        var list = Assert.Throws<FsException>(() => master.ListStatus("/", false));
        var write = await Assert.ThrowsAsync<FsException>(() => master.CreateFile("/b", new CreateFileOptions(), Guid.NewGuid()));

        Assert.All([read, list, write], e =>
        {
            Assert.Equal(FsErrorCode.Unavailable, e.Code);
            Assert.Contains("lease", e.Message);
            Assert.True(TransientFailure.IsTransient(e));
        });
        Assert.Equal(records, _store.RecordCount);
    }

    [Fact]
    public async Task A_renewed_lease_serves_again()
    {
        var (master, lease) = await StartAsync();
        lease.Renew(_clock.GetTimestamp());
        await master.CreateFile("/a", new CreateFileOptions(), Guid.NewGuid());
        _clock.Advance(Length);
        Assert.Throws<FsException>(() => master.GetStatus("/a"));

        lease.Renew(_clock.GetTimestamp());

        Assert.Equal("/a", master.GetStatus("/a").Path);
    }

    [Fact]
    public async Task The_keeper_stops_an_old_master_once_a_newer_one_took_over_and_it_never_serves_again()
    {
        var (old, oldLease) = await StartAsync();
        bool stopped = false;
        old.Stopped += () => stopped = true;
        var keeper = new MasterLeaseKeeper(oldLease, old.Journal.IsEpochCurrentAsync, old.Journal.Epoch, TimeSpan.FromSeconds(2),
            old.StepDown, _clock, NullLogger.Instance);
        Assert.True(await keeper.RenewOnceAsync());
        await old.CreateFile("/acknowledged", new CreateFileOptions(), Guid.NewGuid());

        var (current, currentLease) = await StartAsync();
        currentLease.Renew(_clock.GetTimestamp());
        bool oldStillServing = await keeper.RenewOnceAsync();

        Assert.False(oldStillServing);
        Assert.True(stopped);
        Assert.Equal(FsErrorCode.Unavailable, Assert.Throws<FsException>(() => old.GetStatus("/acknowledged")).Code);
        await Assert.ThrowsAsync<FsException>(() => old.CreateFile("/stale", new CreateFileOptions(), Guid.NewGuid()));
        Assert.Equal("/acknowledged", current.GetStatus("/acknowledged").Path);
        Assert.Throws<FsException>(() => current.GetStatus("/stale"));
    }

    private async Task<(MasterService Master, MasterLease Lease)> StartAsync()
    {
        var lease = new MasterLease(Length, _clock);
        var journalOptions = new JournalOptions { CheckpointRecords = long.MaxValue, CheckpointBytes = long.MaxValue };
        var master = new MasterService(_store.Open(), new MasterOptions(), journalOptions, new ManualClock(), null, NullLogger.Instance, lease: lease);
        _masters.Add(master);
        await master.RecoverAsync("127.0.0.1:11111", CancellationToken.None);
        return (master, lease);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var master in _masters) await master.DisposeAsync();
    }
}
