using OrleansFs.Grains.Lineage.Recompute;

namespace OrleansFs.Unit.Tests.Lineage;

public sealed class RetryScheduleTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_pause_doubles_after_each_failed_attempt_up_to_the_longest()
    {
        var schedule = new RetrySchedule(10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));

        Assert.Equal([1, 2, 4, 5, 5], Enumerable.Range(1, 5).Select(a => schedule.Delay(a).TotalSeconds).ToArray());
    }

    [Fact]
    public void There_is_no_further_attempt_after_the_last_one()
    {
        var schedule = new RetrySchedule(3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        var deadline = Now.AddHours(1);

        Assert.Equal(TimeSpan.FromSeconds(1), schedule.NextDelay(1, Now, deadline));
        Assert.Equal(TimeSpan.FromSeconds(2), schedule.NextDelay(2, Now, deadline));
        Assert.Null(schedule.NextDelay(3, Now, deadline));
    }

    [Fact]
    public void A_pause_that_would_end_past_the_deadline_ends_the_run_instead()
    {
        var schedule = new RetrySchedule(5, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30));

        Assert.Null(schedule.NextDelay(1, Now, Now.AddSeconds(10)));
        Assert.Equal(TimeSpan.FromSeconds(10), schedule.NextDelay(1, Now, Now.AddSeconds(11)));
    }

    [Fact]
    public void One_attempt_means_no_retry()
    {
        Assert.Null(new RetrySchedule(1, TimeSpan.Zero, TimeSpan.FromSeconds(1)).NextDelay(1, Now, Now.AddHours(1)));
    }
}
