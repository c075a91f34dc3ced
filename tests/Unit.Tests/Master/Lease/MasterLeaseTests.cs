using OrleansFs.Grains.Master.Lease;

namespace OrleansFs.Tests.Master.Lease;

public sealed class MasterLeaseTests
{
    private static readonly TimeSpan Length = TimeSpan.FromMilliseconds(750);
    private readonly TimestampClock _clock = new();

    [Fact]
    public void A_lease_is_not_held_before_its_first_renewal()
    {
        var lease = new MasterLease(Length, _clock);

        Assert.False(lease.IsHeld);
        Assert.Equal(TimeSpan.Zero, lease.LapsedFor);
    }

    [Fact]
    public void A_renewed_lease_holds_for_its_length_counted_from_when_the_check_began()
    {
        var lease = new MasterLease(Length, _clock);
        long checkStarted = _clock.GetTimestamp();
        _clock.Advance(TimeSpan.FromMilliseconds(300)); // the check's round trip

        lease.Renew(checkStarted);
        _clock.Advance(TimeSpan.FromMilliseconds(449));
        bool heldJustBefore = lease.IsHeld;
        _clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(heldJustBefore);
        Assert.False(lease.IsHeld);
    }

    [Fact]
    public void A_late_answer_to_an_older_check_never_shortens_the_lease()
    {
        var lease = new MasterLease(Length, _clock);
        long older = _clock.GetTimestamp();
        _clock.Advance(TimeSpan.FromMilliseconds(500));
        lease.Renew(_clock.GetTimestamp());

        lease.Renew(older);
        _clock.Advance(TimeSpan.FromMilliseconds(700));

        Assert.True(lease.IsHeld);
    }

    [Fact]
    public void LapsedFor_counts_from_the_end_of_the_lease()
    {
        var lease = new MasterLease(Length, _clock);
        lease.Renew(_clock.GetTimestamp());

        _clock.Advance(Length + TimeSpan.FromMilliseconds(400));

        Assert.Equal(TimeSpan.FromMilliseconds(400), lease.LapsedFor);
    }

    [Fact]
    public void A_revoked_lease_is_never_held_again()
    {
        var lease = new MasterLease(Length, _clock);
        lease.Renew(_clock.GetTimestamp());

        lease.Revoke();
        lease.Renew(_clock.GetTimestamp());

        Assert.False(lease.IsHeld);
        Assert.True(lease.IsRevoked);
    }
}
