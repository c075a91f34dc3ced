namespace OrleansFs.Tests.Master.Lease;

/// <summary>A monotonic clock (timestamps in milliseconds) that moves only when a test moves it.</summary>
public sealed class TimestampClock : TimeProvider
{
    private long _milliseconds = 1_000_000;

    public override long TimestampFrequency => 1000;

    public override long GetTimestamp() => Interlocked.Read(ref _milliseconds);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _milliseconds, (long)by.TotalMilliseconds);
}
