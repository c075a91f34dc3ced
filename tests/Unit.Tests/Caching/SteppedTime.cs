namespace OrleansFs.Tests.Caching;

/// <summary>A monotonic clock (timestamps, as the cache ages entries) that moves only when a test moves it.</summary>
public sealed class SteppedTime : TimeProvider
{
    private long _ticks = 1;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    public override long GetTimestamp() => Interlocked.Read(ref _ticks);
    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
