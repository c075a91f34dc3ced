using Microsoft.Extensions.Logging.Abstractions;
using OrleansFs.Errors;
using OrleansFs.Grains.Master.Lease;

namespace OrleansFs.Tests.Master.Lease;

/// <summary>One renewal at a time on a clock the test moves; the store's answers are scripted.</summary>
public sealed class MasterLeaseKeeperTests
{
    private static readonly TimeSpan Length = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan StepDownAfter = TimeSpan.FromSeconds(2);
    private readonly TimestampClock _clock = new();
    private readonly List<FsException> _lost = [];
    private Func<CancellationToken, Task<bool>> _store = _ => Task.FromResult(true);

    [Fact]
    public async Task A_confirmed_epoch_renews_the_lease()
    {
        var (lease, keeper) = Keeper();

        Assert.True(await keeper.RenewOnceAsync());

        Assert.True(lease.IsHeld);
        Assert.Empty(_lost);
    }

    [Fact]
    public async Task A_newer_epoch_revokes_the_lease_and_stops_the_master_as_fenced()
    {
        var (lease, keeper) = Keeper();
        await keeper.RenewOnceAsync();
        _store = _ => Task.FromResult(false);

        Assert.False(await keeper.RenewOnceAsync());

        Assert.False(lease.IsHeld);
        Assert.True(lease.IsRevoked);
        Assert.Equal(FsErrorCode.Fenced, Assert.Single(_lost).Code);
    }

    [Fact]
    public async Task A_store_that_does_not_answer_fails_the_check_within_the_lease_length()
    {
        var (lease, keeper) = Keeper();
        await keeper.RenewOnceAsync();
        _clock.Advance(Length);
        _store = async ct =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return true;
        };

        // The answer never comes: the bounded wait ends the check instead of hanging with the connection.
        Assert.True(await keeper.RenewOnceAsync().WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.False(lease.IsHeld);
        Assert.Empty(_lost);
    }

    [Fact]
    public async Task A_lease_lapsed_for_StepDownAfter_stops_the_master_as_unavailable()
    {
        var (lease, keeper) = Keeper();
        await keeper.RenewOnceAsync();
        _store = _ => Task.FromException<bool>(FsException.Unavailable("could not read or write epochs: connection lost"));

        _clock.Advance(Length + StepDownAfter - TimeSpan.FromMilliseconds(1));
        bool servingBefore = await keeper.RenewOnceAsync();
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        bool servingAfter = await keeper.RenewOnceAsync();

        Assert.True(servingBefore);
        Assert.False(servingAfter);
        var lost = Assert.Single(_lost);
        Assert.Equal(FsErrorCode.Unavailable, lost.Code);
        Assert.Contains("stepped down", lost.Message);
        Assert.False(lease.IsHeld);
    }

    [Fact]
    public async Task A_lapse_ends_when_the_store_answers_again()
    {
        var (lease, keeper) = Keeper();
        await keeper.RenewOnceAsync();
        _store = _ => Task.FromException<bool>(new IOException("unreachable"));
        _clock.Advance(Length + TimeSpan.FromMilliseconds(500));
        await keeper.RenewOnceAsync();
        bool heldDuringLapse = lease.IsHeld;

        _store = _ => Task.FromResult(true);
        await keeper.RenewOnceAsync();

        Assert.False(heldDuringLapse);
        Assert.True(lease.IsHeld);
        Assert.Empty(_lost);
    }

    private (MasterLease Lease, MasterLeaseKeeper Keeper) Keeper()
    {
        var lease = new MasterLease(Length, _clock);
        var keeper = new MasterLeaseKeeper(lease, ct => _store(ct), epoch: 7, StepDownAfter, _lost.Add, _clock, NullLogger.Instance);
        return (lease, keeper);
    }
}
