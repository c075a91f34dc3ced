namespace OrleansFs.Grains.Master.Lease;

/// <summary>
/// Whether the master may still answer: held until <see cref="Length"/> after the start of the last check that found
/// its journal epoch still the newest. Counting from the start, not the end, of that check is what makes it safe: the
/// store's answer was true no earlier than when the question was sent. Read by every call (lock-free), renewed by
/// <see cref="MasterLeaseKeeper"/>; once revoked (a newer epoch exists) it is never held again.
/// </summary>
public sealed class MasterLease
{
    private const long Revoked = long.MinValue;
    private readonly TimeProvider _time;
    private readonly long _lengthTicks;
    // A TimeProvider timestamp; 0 until the first renewal.
    private long _expiresAt;

    public MasterLease(TimeSpan length, TimeProvider time)
    {
        if (length <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(length), length, "a lease must be positive");
        Length = length;
        _time = time;
        _lengthTicks = (long)(length.TotalSeconds * time.TimestampFrequency);
    }

    public TimeSpan Length { get; }

    public bool IsHeld => _time.GetTimestamp() < Volatile.Read(ref _expiresAt);

    public bool IsRevoked => Volatile.Read(ref _expiresAt) == Revoked;

    /// <summary>How long the lease has been lapsed (zero while held or before it was ever held).</summary>
    public TimeSpan LapsedFor
    {
        get
        {
            long expires = Volatile.Read(ref _expiresAt);
            if (expires is 0 or Revoked) return TimeSpan.Zero;
            long now = _time.GetTimestamp();
            return now <= expires ? TimeSpan.Zero : _time.GetElapsedTime(expires, now);
        }
    }

    /// <summary>Extends the lease to <see cref="Length"/> after <paramref name="checkStartedAt"/> (a <see cref="TimeProvider.GetTimestamp"/>); never shortens it.</summary>
    public void Renew(long checkStartedAt)
    {
        long expires = checkStartedAt + _lengthTicks;
        long current = Volatile.Read(ref _expiresAt);
        while (current != Revoked && expires > current)
        {
            long seen = Interlocked.CompareExchange(ref _expiresAt, expires, current);
            if (seen == current) return;
            current = seen;
        }
    }

    /// <summary>Ends the lease for good: a newer master exists.</summary>
    public void Revoke() => Interlocked.Exchange(ref _expiresAt, Revoked);
}
