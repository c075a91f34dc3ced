using OrleansFs.Grains.Master.Sync;

namespace OrleansFs.Tests.Sync;

public sealed class SyncIntervalTrackerTests
{
    private sealed class SteppingClock : TimeProvider
    {
        private long _ticks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => _ticks;
        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }

    [Fact]
    public void A_path_is_due_again_only_once_the_interval_has_passed()
    {
        var clock = new SteppingClock();
        var tracker = new SyncIntervalTracker(TimeSpan.FromSeconds(5), clock);

        Assert.True(tracker.IsDue("/a"));
        tracker.MarkSynced("/a");
        Assert.False(tracker.IsDue("/a"));
        Assert.True(tracker.IsDue("/b"));
        clock.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(tracker.IsDue("/a"));
        clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(tracker.IsDue("/a"));
    }

    [Fact]
    public void Zero_means_always_and_negative_means_never()
    {
        var always = new SyncIntervalTracker(TimeSpan.Zero, new SteppingClock());
        always.MarkSynced("/a");
        Assert.True(always.IsDue("/a"));

        var never = new SyncIntervalTracker(TimeSpan.FromSeconds(-1), new SteppingClock());
        Assert.False(never.Enabled);
        Assert.False(never.IsDue("/a"));
    }

    [Fact]
    public void Past_its_bound_it_forgets_and_syncs_again_rather_than_growing()
    {
        var tracker = new SyncIntervalTracker(TimeSpan.FromMinutes(1), new SteppingClock(), maxPaths: 3);
        foreach (var path in new[] { "/a", "/b", "/c" }) tracker.MarkSynced(path);
        Assert.False(tracker.IsDue("/a"));

        tracker.MarkSynced("/d");

        Assert.True(tracker.IsDue("/a"));
        Assert.False(tracker.IsDue("/d"));
    }
}
